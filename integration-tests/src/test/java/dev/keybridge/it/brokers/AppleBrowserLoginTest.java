package dev.keybridge.it.brokers;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

import static dev.keybridge.it.brokers.BrokerRealm.WEB_REDIRECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sign in with Apple in the browser, end to end against the fake Apple: the login page's Apple
 * button, Apple's authorize step answering with a form_post, Keycloak redeeming the code with its
 * ES256 client secret, first-broker-login creating the user with the name from Apple's user JSON.
 */
@KeycloakIntegrationTest
class AppleBrowserLoginTest {

    private static final Pattern APPLE_BUTTON = Pattern.compile("href=\"([^\"]*/broker/apple/login[^\"]*)\"");

    @InjectRealm(config = BrokerRealm.class)
    ManagedRealm realm;

    private final FakeProvider apple = FakeProvider.apple();

    @Test
    void firstLoginCreatesUserWithNameFromUserJson() {
        apple.nextSignIn("apple-browser-001", "ada@privaterelay.appleid.com",
                "{\"name\":{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"},\"email\":\"ada@privaterelay.appleid.com\"}");
        Browser browser = new Browser();

        HttpResponse<String> applePage = openAppleAuthorize(browser);
        Map<String, String> authorizeQuery = FakeProvider.form(applePage.uri().getRawQuery());
        assertEquals("form_post", authorizeQuery.get("response_mode"));
        assertEquals("name email", authorizeQuery.get("scope").replace("openid ", ""));
        assertNotNull(authorizeQuery.get("nonce"), "Keycloak sends a nonce to Apple");

        HttpResponse<String> callback = browser.post(Browser.formAction(applePage.body()), Browser.hiddenInputs(applePage.body()));
        HttpResponse<String> end = browser.follow(callback, WEB_REDIRECT);

        assertTrue(end.statusCode() / 100 == 3 && Browser.location(end).startsWith(WEB_REDIRECT),
                "expected a redirect to the client with a code, got " + end.statusCode() + " " + end.body());
        assertTrue(Browser.location(end).contains("code="), Browser.location(end));
        assertTrue(apple.tokenRequestErrors().isEmpty(), "fake Apple refused the client secret: " + apple.tokenRequestErrors());

        List<UserRepresentation> users = realm.admin().users().search("ada@privaterelay.appleid.com", true);
        assertEquals(1, users.size());
        UserRepresentation ada = users.get(0);
        assertEquals("Ada", ada.getFirstName());
        assertEquals("Lovelace", ada.getLastName());
        assertEquals("ada@privaterelay.appleid.com", ada.getEmail());
        assertEquals(List.of("apple:apple-browser-001"), realm.admin().users().get(ada.getId()).getFederatedIdentity().stream()
                .map(f -> f.getIdentityProvider() + ":" + f.getUserId()).toList());
    }

    @Test
    void cancelAtAppleReturnsToTheLoginPageWithAMessage() {
        int users = realm.admin().users().count();
        apple.failNextAuthorize("user_cancelled_authorize");
        Browser browser = new Browser();

        HttpResponse<String> applePage = openAppleAuthorize(browser);
        Map<String, String> fields = Browser.hiddenInputs(applePage.body());
        assertEquals("user_cancelled_authorize", fields.get("error"));
        HttpResponse<String> end = browser.follow(browser.post(Browser.formAction(applePage.body()), fields), WEB_REDIRECT);

        assertEquals(200, end.statusCode(), end.body());
        assertTrue(end.body().contains("Access denied when authenticating with"), end.body());
        assertTrue(APPLE_BUTTON.matcher(end.body()).find(), "the login page is shown again");
        assertEquals(users, realm.admin().users().count());
    }

    private HttpResponse<String> openAppleAuthorize(Browser browser) {
        return AppleLogins.openAuthorize(browser, realm.getBaseUrl(), "apple", apple);
    }

}

package dev.keybridge.it.brokers;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.keybridge.it.brokers.BrokerRealm.WEB_REDIRECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The browser steps of a Sign in with Apple login against a fake Apple, for the client "web". */
final class AppleLogins {

    private static final Pattern INPUT = Pattern.compile("<input[^>]*>");
    private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]+)\"");
    private static final Pattern VALUE = Pattern.compile("\\bvalue=\"([^\"]*)\"");

    private AppleLogins() {
    }

    /** Opens the login page, presses the button of IdP {@code alias}, and follows Keycloak's redirects to the fake Apple. */
    static HttpResponse<String> openAuthorize(Browser browser, String realmUrl, String alias, FakeProvider apple) {
        String auth = realmUrl + "/protocol/openid-connect/auth?client_id=web&response_type=code&scope=openid&state=s1"
                + "&redirect_uri=" + URLEncoder.encode(WEB_REDIRECT, StandardCharsets.UTF_8);
        HttpResponse<String> loginPage = browser.follow(browser.get(auth), WEB_REDIRECT);
        assertEquals(200, loginPage.statusCode(), loginPage.body());
        Matcher button = Pattern.compile("href=\"([^\"]*/broker/" + Pattern.quote(alias) + "/login[^\"]*)\"").matcher(loginPage.body());
        assertTrue(button.find(), "login page offers " + alias);
        String appleLogin = loginPage.uri().resolve(button.group(1).replace("&amp;", "&")).toString();
        HttpResponse<String> applePage = browser.follow(browser.get(appleLogin), WEB_REDIRECT);
        assertEquals(200, applePage.statusCode(), applePage.body());
        assertTrue(applePage.uri().toString().startsWith(apple.baseUrl() + "/auth/authorize"), applePage.uri().toString());
        return applePage;
    }

    /** Posts Apple's form_post page back to Keycloak, as the browser does, and follows until the client's redirect or a page. */
    static HttpResponse<String> postBack(Browser browser, HttpResponse<String> applePage) {
        return browser.follow(browser.post(Browser.formAction(applePage.body()), Browser.hiddenInputs(applePage.body())), WEB_REDIRECT);
    }

    /** Every input of the page's form with its current value (text fields too, unlike {@link Browser#hiddenInputs}). */
    static Map<String, String> inputs(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(html);
        while (input.find()) {
            Matcher name = NAME.matcher(input.group());
            Matcher value = VALUE.matcher(input.group());
            if (name.find()) {
                fields.put(name.group(1), value.find() ? value.group(1).replace("&quot;", "\"").replace("&amp;", "&") : "");
            }
        }
        return fields;
    }

    static void assertRedirectedWithCode(HttpResponse<String> end) {
        assertTrue(end.statusCode() / 100 == 3 && Browser.location(end).startsWith(WEB_REDIRECT),
                "expected a redirect to the client with a code, got " + end.statusCode() + " " + end.body());
        assertTrue(Browser.location(end).contains("code="), Browser.location(end));
    }
}

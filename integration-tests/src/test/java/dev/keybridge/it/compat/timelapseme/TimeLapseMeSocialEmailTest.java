package dev.keybridge.it.compat.timelapseme;

import static dev.keybridge.it.compat.timelapseme.TimeLapseMeTest.assertText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.keybridge.it.brokers.BrokerRealm;
import dev.keybridge.it.brokers.FakeProvider;
import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * TimeLapseMe's social sign-up requires the ID token to carry an email, as the original did ("the JWT provided
 * by the client must include the email property"): a token without one, or with one that is not an email
 * address, is refused with the original's sign-up error and creates no user.
 */
@KeycloakIntegrationTest
class TimeLapseMeSocialEmailTest {

    private static final String SIGNUP_FAILED = "An error occurred while attempting to create a new user.";

    @InjectRealm(config = TimeLapseMeSocialTest.SocialRealm.class)
    ManagedRealm realm;

    private final FakeProvider google = FakeProvider.google();
    private final FakeProvider apple = FakeProvider.apple();

    private void assertSignUpRefused(String alias, FakeProvider provider, String audience, String subject, Object email) throws Exception {
        int users = realm.admin().users().count();
        Map<String, Object> claims = provider.claims(subject, audience);
        if (email != null) {
            claims.put("email", email);
            claims.put("email_verified", true);
        }
        claims.put("given_name", "No");
        claims.put("family_name", "Mail");
        String body = Http.toJson(Map.of("jwt", provider.sign(claims)));

        assertText(Http.at(realm).resource("timelapseme").postJson("api/v1/signup/" + alias, body), SIGNUP_FAILED);
        assertEquals(users, realm.admin().users().count(), "no user created");
        assertTrue(realm.admin().getEvents(List.of("REGISTER_ERROR"), null, null, null, null, null, 0, 100).stream()
                .anyMatch(e -> subject.equals(e.getDetails().get("identity_provider_user_id"))
                        && e.getDetails().getOrDefault("reason", "").contains("email")),
                "the refusal is a REGISTER_ERROR event naming the missing email");
    }

    @Test
    void googleSignUpWithoutEmailIsRefused() throws Exception {
        assertSignUpRefused("google", google, BrokerRealm.GOOGLE_ANDROID_CLIENT, "google-no-email-1", null);
    }

    @Test
    void appleSignUpWithoutEmailIsRefused() throws Exception {
        assertSignUpRefused("apple", apple, BrokerRealm.BUNDLE_ID, "apple-no-email-1", null);
    }

    @Test
    void signUpWithAnEmailThatIsNotAnAddressIsRefused() throws Exception {
        assertSignUpRefused("google", google, BrokerRealm.GOOGLE_ANDROID_CLIENT, "google-bad-email-1", "not-an-address");
    }
}

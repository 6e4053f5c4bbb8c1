package dev.keybridge.it.compat.timelapseme;

import static dev.keybridge.it.compat.timelapseme.TimeLapseMeTest.assertTokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.brokers.BrokerRealm;
import dev.keybridge.it.brokers.FakeProvider;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * Rows of the TimeLapseMe table (docs/compatibility-apis.md) where the social routes differ on purpose from the
 * original's code: sign-up needs neither names nor {@code email_verified}, and sign-in answers no names.
 */
@KeycloakIntegrationTest
class TimeLapseMeContractReplayTest {

    @InjectRealm(config = NamesOptionalRealm.class)
    ManagedRealm realm;

    /** The social realm with first and last name optional in the user profile, as the docs ask of TimeLapseMe realms. */
    static class NamesOptionalRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return TimeLapseMeSocialTest.socialRealm(realm).registrationAllowed(true).update(BrokerRealm::namesAndEmailOptional);
        }
    }

    private final FakeProvider apple = FakeProvider.apple();
    private final FakeProvider google = FakeProvider.google();

    private Http http() {
        return Http.at(realm).resource("timelapseme");
    }

    private static String jwtBody(String jwt) throws Exception {
        return Http.toJson(Map.of("jwt", jwt));
    }

    private UserRepresentation onlyUser(String email) {
        List<UserRepresentation> users = realm.admin().users().searchByEmail(email, true);
        assertEquals(1, users.size(), "users with " + email + ": " + users);
        return users.get(0);
    }

    /** The original refused a sign-up without {@code email_verified === true}, {@code given_name} and {@code family_name}. */
    @Test
    void socialSignUpNeedsNeitherNamesNorAVerifiedEmail() throws Exception {
        // Apple puts no names in its ID token; this one has no email_verified either
        Map<String, Object> appleClaims = apple.claims("apple-sub-nameless", BrokerRealm.BUNDLE_ID);
        appleClaims.put("email", "nameless.apple@example.org");
        assertTokens(http().postJson("api/v1/signup/apple", jwtBody(apple.sign(appleClaims))));
        UserRepresentation appleUser = onlyUser("nameless.apple@example.org");
        assertNull(appleUser.getFirstName());
        assertNull(appleUser.getLastName());
        assertFalse(appleUser.isEmailVerified(), "an email the token does not verify is not verified");

        Map<String, Object> googleClaims = google.claims("google-sub-unverified", BrokerRealm.GOOGLE_ANDROID_CLIENT);
        googleClaims.put("email", "unverified.google@example.org");
        googleClaims.put("email_verified", false);
        assertTokens(http().postJson("api/v1/signup/google", jwtBody(google.sign(googleClaims))));
        UserRepresentation googleUser = onlyUser("unverified.google@example.org");
        assertNull(googleUser.getFirstName());
        assertFalse(googleUser.isEmailVerified());
    }

    /** The original's social sign-in answered {@code firstName} / {@code lastName}; here only the tokens (map names into them). */
    @Test
    void socialSignInAnswersTokensWithoutNames() throws Exception {
        Map<String, Object> claims = google.claims("google-sub-named", BrokerRealm.GOOGLE_ANDROID_CLIENT);
        claims.put("email", "named.google@example.org");
        claims.put("email_verified", true);
        claims.put("given_name", "Nora");
        claims.put("family_name", "Named");
        assertTokens(http().postJson("api/v1/signup/google", jwtBody(google.sign(claims))));
        assertEquals("Nora", onlyUser("named.google@example.org").getFirstName(), "the names are kept on the user");

        // assertTokens: exactly accessToken, refreshToken, acessToken
        JsonNode signedIn = assertTokens(http().postJson("api/v1/auth/google", jwtBody(google.sign(FakeProvider.reissued(claims)))));
        assertFalse(signedIn.has("firstName") || signedIn.has("lastName"), signedIn.toString());
        assertEquals(onlyUser("named.google@example.org").getId(), Jwt.claims(signedIn.path("accessToken").asText()).path("sub").asText());
    }
}

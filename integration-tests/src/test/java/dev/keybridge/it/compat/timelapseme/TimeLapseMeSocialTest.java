package dev.keybridge.it.compat.timelapseme;

import static dev.keybridge.it.compat.timelapseme.TimeLapseMeTest.assertText;
import static dev.keybridge.it.compat.timelapseme.TimeLapseMeTest.assertTokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.it.brokers.BrokerRealm;
import dev.keybridge.it.brokers.FakeProvider;
import dev.keybridge.it.compat.CompatRealms;
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
 * TimeLapseMe's social routes: sign-up and sign-in with Google and Apple ID tokens minted by the local fakes (real
 * JWKS, real signatures) through native sign-in, and the original's 400 plain-text answers for forged, misdirected
 * and missing tokens, none of which creates a user.
 */
@KeycloakIntegrationTest
class TimeLapseMeSocialTest {

    @InjectRealm(config = SocialRealm.class)
    ManagedRealm realm;

    @InjectRealm(ref = "closed-social", config = ClosedSocialRealm.class)
    ManagedRealm closedRealm;

    private final FakeProvider apple = FakeProvider.apple();
    private final FakeProvider google = FakeProvider.google();

    static class SocialRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return socialRealm(realm).registrationAllowed(true);
        }
    }

    static class ClosedSocialRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return socialRealm(realm).registrationAllowed(false);
        }
    }

    /** The app's client, allowed native sign-in with "google" and "apple", brokers pointed at the fakes. */
    static RealmBuilder socialRealm(RealmBuilder realm) {
        FakeProvider apple = FakeProvider.apple();
        FakeProvider google = FakeProvider.google();
        return CompatRealms.withoutVerifyProfile(realm).eventsEnabled(true)
                .clients(TimeLapseMeTest.appClient().attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "google apple"))
                .identityProviders(BrokerRealm.googleIdp("google", google, Map.of()), BrokerRealm.appleIdp("apple", apple, Map.of()));
    }

    private static Http http(ManagedRealm managed) {
        return Http.at(managed).resource("timelapseme");
    }

    private static String jwtBody(String jwt) throws Exception {
        return Http.toJson(Map.of("jwt", jwt));
    }

    private static Map<String, Object> person(FakeProvider provider, String subject, String audience, String email) {
        Map<String, Object> claims = provider.claims(subject, audience);
        claims.put("email", email);
        claims.put("email_verified", true);
        claims.put("given_name", "Sam");
        claims.put("family_name", "Social");
        return claims;
    }

    private static List<UserRepresentation> users(ManagedRealm managed, String email) {
        return managed.admin().users().searchByEmail(email, true);
    }

    private void signUpThenSignIn(String alias, FakeProvider provider, String audience, String subject, String email) throws Exception {
        Map<String, Object> claims = person(provider, subject, audience, email);
        String jwt = provider.sign(claims);

        assertText(http(realm).postJson("api/v1/auth/" + alias, jwtBody(jwt)), "Invalid JWT: user not found.");
        assertEquals(List.of(), users(realm, email), "sign-in never creates a user");

        JsonNode signedUp = assertTokens(http(realm).postJson("api/v1/signup/" + alias, jwtBody(jwt)));
        List<UserRepresentation> created = users(realm, email);
        assertEquals(1, created.size(), "sign-up created the user");
        UserRepresentation user = created.get(0);
        assertEquals(List.of(alias + ":" + subject), realm.admin().users().get(user.getId()).getFederatedIdentity().stream()
                .map(link -> link.getIdentityProvider() + ":" + link.getUserId()).toList());
        JsonNode access = Jwt.claims(signedUp.path("accessToken").asText());
        assertEquals(user.getId(), access.path("sub").asText());
        assertEquals(TimeLapseMeTest.CLIENT, access.path("azp").asText(), "tokens of the resource's client");
        assertEquals(user.getId(), access.path("userId").asText(), "the client's mappers apply");
        assertEquals(1, realm.admin().users().get(user.getId()).getUserSessions().size(), "a real user session");

        // the token is spent (single-use ID tokens); the app's next sign-in brings a new one
        assertText(http(realm).postJson("api/v1/auth/" + alias, jwtBody(jwt)), "An error occured while processing this JWT.");
        JsonNode signedIn = assertTokens(http(realm).postJson("api/v1/auth/" + alias, jwtBody(provider.sign(FakeProvider.reissued(claims)))));
        assertEquals(user.getId(), Jwt.claims(signedIn.path("accessToken").asText()).path("sub").asText());
        assertEquals(2, realm.admin().users().get(user.getId()).getUserSessions().size());

        assertText(http(realm).postJson("api/v1/signup/" + alias, jwtBody(jwt)),
                "That email address is currently unavailable using that authentication method.");
        assertEquals(1, users(realm, email).size());
    }

    @Test
    void googleSignUpThenSignIn() throws Exception {
        signUpThenSignIn("google", google, BrokerRealm.GOOGLE_ANDROID_CLIENT, "google-sub-100", "sam.google@example.org");
    }

    @Test
    void appleSignUpThenSignIn() throws Exception {
        signUpThenSignIn("apple", apple, BrokerRealm.BUNDLE_ID, "apple-sub-100", "sam.apple@example.org");
    }

    @Test
    void forgedMisdirectedAndMissingTokensAreRefusedWithoutCreatingUsers() throws Exception {
        String email = "mallory@example.org";
        Map<String, Object> claims = person(google, "google-sub-666", BrokerRealm.GOOGLE_WEB_CLIENT, email);
        // signed with another key under the published key's id
        String badSignature = FakeProvider.sign(claims, new FakeProvider.SigningKey(google.currentKey().kid(), "RS256",
                FakeProvider.generate("RS256")));
        String wrongAudience = google.sign(person(google, "google-sub-666", "someone-else.apps.googleusercontent.com", email));
        String appleTokenOnGoogle = apple.sign(person(apple, "apple-sub-666", BrokerRealm.BUNDLE_ID, email));
        for (String jwt : List.of(badSignature, wrongAudience, appleTokenOnGoogle)) {
            assertText(http(realm).postJson("api/v1/signup/google", jwtBody(jwt)), "An error occurred while attempting to create a new user.");
            assertText(http(realm).postJson("api/v1/auth/google", jwtBody(jwt)), "An error occured while processing this JWT.");
        }
        assertText(http(realm).postJson("api/v1/signup/apple", "{}"), "Error: JWT not provided.");
        assertText(http(realm).postJson("api/v1/auth/apple", Http.toJson(Map.of("jwt", ""))), "JWT not provided.");
        assertEquals(List.of(), users(realm, email));
        assertTrue(realm.admin().getEvents(List.of("REGISTER_ERROR"), null, null, null, null, null, 0, 100).stream()
                .anyMatch(e -> "invalid_token".equals(e.getError()) && "google".equals(e.getDetails().get("identity_provider"))),
                "the refused sign-up is an error event");
    }

    @Test
    void signUpIsRefusedWhenTheRealmDisallowsRegistration() throws Exception {
        String email = "closed@example.org";
        String jwt = google.sign(person(google, "google-sub-200", BrokerRealm.GOOGLE_WEB_CLIENT, email));
        assertText(http(closedRealm).postJson("api/v1/signup/google", jwtBody(jwt)), "Sign-up is disabled.");
        assertText(http(closedRealm).postJson("api/v1/auth/google", jwtBody(jwt)), "Invalid JWT: user not found.");
        assertEquals(List.of(), users(closedRealm, email));
    }
}

package dev.keybridge.it.compat.ertis;

import static dev.keybridge.it.compat.ertis.ErtisTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.it.brokers.BrokerRealm;
import dev.keybridge.it.brokers.FakeProvider;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * ErtisAuth's Google and Apple login ({@code POST /api/v1/oauth/{google,apple}/login}) through native sign-in,
 * with ID tokens of the local fakes: a first login creates and links the user, the next one signs the same user in;
 * a forged token or a missing one is refused in ErtisAuth's error shape and creates nobody.
 */
@KeycloakIntegrationTest
class ErtisSocialLoginTest {

    @InjectRealm(config = SocialMembership.class)
    ManagedRealm realm;

    private final FakeProvider apple = FakeProvider.apple();
    private final FakeProvider google = FakeProvider.google();

    static class SocialMembership implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.clients(ClientBuilder.create(ErtisTest.CLIENT).publicClient()
                            .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "google apple"))
                    .identityProviders(BrokerRealm.googleIdp("google", FakeProvider.google(), Map.of()),
                            BrokerRealm.appleIdp("apple", FakeProvider.apple(), Map.of()))
                    .update(BrokerRealm::namesAndEmailOptional);
        }
    }

    private Http.Response login(String provider, Object body) throws Exception {
        return Http.at(realm).resource("ertis").send("POST", "api/v1/oauth/" + provider + "/login", Http.toJson(body),
                Map.of("Content-Type", "application/json", "X-Ertis-Alias", realm.getName(),
                        "X-IpAddress", "203.0.113.9", "X-UserAgent", "ErtisClient/1.0"));
    }

    private static Map<String, Object> googleCredentials(String idToken) {
        return Map.of("token", Map.of("idToken", idToken, "clientId", BrokerRealm.GOOGLE_WEB_CLIENT), "clientId", BrokerRealm.GOOGLE_WEB_CLIENT);
    }

    private static String idToken(FakeProvider provider, String subject, String audience, String email) {
        Map<String, Object> claims = provider.claims(subject, audience);
        claims.put("email", email);
        claims.put("email_verified", true);
        return provider.sign(claims);
    }

    /** The user of a successful social login's access token, after checking ErtisAuth's 201 token document. */
    static String loggedInUser(Http.Response response) throws Exception {
        assertEquals(201, response.status(), response.body());
        JsonNode body = response.json();
        assertEquals("bearer", body.path("token_type").asText());
        assertEquals(ErtisTest.CLIENT, Jwt.claims(body.path("access_token").asText()).path("azp").asText());
        return Jwt.claims(body.path("access_token").asText()).path("sub").asText();
    }

    private List<UserRepresentation> users(String email) {
        return realm.admin().users().searchByEmail(email, true);
    }

    @Test
    void googleAndAppleLoginCreateThenReuseTheLinkedUser() throws Exception {
        String googleToken = idToken(google, "ertis-google-1", BrokerRealm.GOOGLE_WEB_CLIENT, "gina@example.org");
        String first = loggedInUser(login("google", googleCredentials(googleToken)));
        assertEquals(List.of(first), users("gina@example.org").stream().map(UserRepresentation::getId).toList());
        String nextGoogleToken = idToken(google, "ertis-google-1", BrokerRealm.GOOGLE_WEB_CLIENT, "gina@example.org");
        assertEquals(first, loggedInUser(login("google", googleCredentials(nextGoogleToken))), "the second login finds the linked user");
        Http.Response replay = login("google", googleCredentials(googleToken));
        assertError(replay, 401, "Unauthorized");
        assertTrue(replay.body().contains("already used"), "a spent ID token does not sign in again: " + replay.body());

        String appleToken = idToken(apple, "ertis-apple-1", BrokerRealm.BUNDLE_ID, "abe@privaterelay.appleid.com");
        String appleUser = loggedInUser(login("apple", Map.of("token", Map.of("idToken", appleToken))));
        assertEquals(List.of("apple:ertis-apple-1"), realm.admin().users().get(appleUser).getFederatedIdentity().stream()
                .map(link -> link.getIdentityProvider() + ":" + link.getUserId()).toList());
    }

    @Test
    void forgedOrMissingTokensAreRefusedInErtisShape() throws Exception {
        Map<String, Object> claims = google.claims("ertis-google-666", BrokerRealm.GOOGLE_WEB_CLIENT);
        claims.put("email", "eve@example.org");
        String forged = FakeProvider.sign(claims, new FakeProvider.SigningKey(google.currentKey().kid(), "RS256",
                FakeProvider.generate("RS256")));
        assertError(login("google", googleCredentials(forged)), 401, "Unauthorized");
        assertError(login("google", googleCredentials(idToken(google, "ertis-google-666", "other.apps.googleusercontent.com",
                "eve@example.org"))), 401, "Unauthorized");
        assertError(login("google", Map.of("clientId", BrokerRealm.GOOGLE_WEB_CLIENT)), 400, "ModelValidationError");
        assertError(Http.at(realm).resource("ertis").postJson("api/v1/oauth/google/login", Http.toJson(googleCredentials(forged))),
                400, "XErtisAliasMissing", true);
        assertEquals(List.of(), users("eve@example.org"));
    }
}

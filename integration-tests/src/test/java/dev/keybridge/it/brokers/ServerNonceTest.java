package dev.keybridge.it.brokers;

import static dev.keybridge.it.brokers.BrokerRealm.GOOGLE_ANDROID_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * Server nonces: with "require server nonce" on, an ID token signs in only when its nonce claim is a nonce
 * this realm issued to the same client, unused and unexpired, so an app echoing a nonce of its own (or a
 * stolen token's) gets nothing. ID tokens are reusable on the IdP here, so only the nonce stops a replay.
 */
@KeycloakIntegrationTest
class ServerNonceTest {

    @InjectRealm(config = NonceRealm.class)
    ManagedRealm realm;

    private final FakeProvider google = FakeProvider.google();

    /** "google-nonce" requires server nonces, "google" does not; "mobile" and "tablet" may use both, "web" neither. */
    static class NonceRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            FakeProvider google = FakeProvider.google();
            return realm.eventsEnabled(true)
                    .clients(ClientBuilder.create("mobile").publicClient()
                                    .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "google google-nonce"),
                            ClientBuilder.create("tablet").publicClient()
                                    .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "google-nonce"),
                            ClientBuilder.create("web").publicClient())
                    .identityProviders(BrokerRealm.googleIdp("google", google, Map.of()),
                            BrokerRealm.googleIdp("google-nonce", google, Map.of(NativeSignInSettings.SERVER_NONCE_REQUIRED, "true",
                                    NativeSignInSettings.SINGLE_USE_ID_TOKENS, "false")))
                    .update(BrokerRealm::namesAndEmailOptional);
        }
    }

    private Http.Response askNonce(String form) throws Exception {
        return askNonce("application/x-www-form-urlencoded", form);
    }

    private Http.Response askNonce(String contentType, String body) {
        return Http.at(realm).send("POST", "keybridge-native-sign-in/nonce", body, Map.of("Content-Type", contentType));
    }

    private String nonceFor(String clientId) throws Exception {
        Http.Response response = askNonce("client_id=" + clientId);
        assertEquals(200, response.status(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        JsonNode body = response.json();
        assertTrue(body.path("expires_in").asInt() > 0, response.body());
        return body.path("nonce").asText();
    }

    private Map<String, Object> person(String subject, String nonce) {
        Map<String, Object> claims = google.claims(subject, GOOGLE_ANDROID_CLIENT);
        claims.put("email", subject + "@example.org");
        claims.put("email_verified", true);
        if (nonce != null) {
            claims.put("nonce", nonce);
        }
        return claims;
    }

    private static void assertRefused(Http.Response reply, String descriptionPart) {
        assertEquals(400, reply.status(), reply.body().toString());
        assertEquals("invalid_grant", reply.string("error"));
        assertTrue(reply.string("error_description").contains(descriptionPart), reply.string("error_description"));
    }

    @Test
    void aServerNonceSignsInOnce() throws Exception {
        String nonce = nonceFor("mobile");
        assertNotEquals(nonce, nonceFor("mobile"), "every nonce is new");
        Map<String, Object> claims = person("nonce-user-1", nonce);

        Http.Response first = Http.at(realm).exchange("mobile", "google-nonce", google.sign(claims), nonce);
        assertEquals(200, first.status(), first.body().toString());

        // a new ID token from the provider carrying the same, now spent, nonce
        assertRefused(Http.at(realm).exchange("mobile", "google-nonce",
                google.sign(FakeProvider.reissued(claims)), nonce), "server nonce");
        assertTrue(realm.admin().getEvents(List.of("TOKEN_EXCHANGE_ERROR"), "mobile", null, null, null, null, 0, 50).stream()
                .anyMatch(e -> "invalid_token".equals(e.getError()) && e.getDetails().get("reason").contains("server nonce")),
                "the refusal is an error event");
    }

    @Test
    void noncesTheAppMadeUpOrGotForAnotherClientAreRefused() throws Exception {
        String madeUp = "n-0S6_WzA2Mj-chosen-by-the-app";
        assertRefused(Http.at(realm).exchange("mobile", "google-nonce",
                google.sign(person("nonce-user-2", madeUp)), madeUp), "server nonce");
        assertRefused(Http.at(realm).exchange("mobile", "google-nonce",
                google.sign(person("nonce-user-2", null)), null), "server nonce");
        String tabletNonce = nonceFor("tablet");
        assertRefused(Http.at(realm).exchange("mobile", "google-nonce",
                google.sign(person("nonce-user-2", tabletNonce)), tabletNonce), "server nonce");
        assertEquals(List.of(), realm.admin().users().searchByEmail("nonce-user-2@example.org", true));

        // without the setting, the client's own nonce still works as before
        Http.Response plain = Http.at(realm).exchange("mobile", "google",
                google.sign(person("nonce-user-3", madeUp)), madeUp);
        assertEquals(200, plain.status(), plain.body().toString());
    }

    @Test
    void onlyClientsAllowedNativeSignInGetNonces() throws Exception {
        Http.Response missing = askNonce("");
        assertEquals(400, missing.status(), missing.body());
        assertEquals("invalid_request", missing.json().path("error").asText());
        Http.Response unknown = askNonce("client_id=nobody");
        assertEquals(400, unknown.status(), unknown.body());
        assertEquals("invalid_client", unknown.json().path("error").asText());
        Http.Response notOptedIn = askNonce("client_id=web");
        assertEquals(400, notOptedIn.status(), notOptedIn.body());
        assertEquals("unauthorized_client", notOptedIn.json().path("error").asText());
        // only a form is read: a JSON body names no client
        Http.Response json = askNonce("application/json", "{\"client_id\":\"mobile\"}");
        assertEquals(400, json.status(), json.body());
        assertEquals("invalid_request", json.json().path("error").asText());
    }

    @Test
    void aDisabledRealmIssuesNoNonce() throws Exception {
        RealmRepresentation disabled = realm.admin().toRepresentation();
        disabled.setEnabled(false);
        realm.admin().update(disabled);
        try {
            Http.Response refused = askNonce("client_id=mobile");
            assertEquals(403, refused.status(), refused.body());
            assertEquals("access_denied", refused.json().path("error").asText());
        } finally {
            disabled.setEnabled(true);
            realm.admin().update(disabled);
        }
    }
}

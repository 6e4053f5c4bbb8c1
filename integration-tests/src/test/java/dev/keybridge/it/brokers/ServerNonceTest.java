package dev.keybridge.it.brokers;

import static dev.keybridge.it.brokers.BrokerRealm.GOOGLE_ANDROID_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.keycloak.util.JsonSerialization;

/**
 * Server nonces: with "require server nonce" on, an ID token signs in only when its nonce claim is a nonce
 * this realm issued to the same client, unused and unexpired, so an app echoing a nonce of its own (or a
 * stolen token's) gets nothing. ID tokens are reusable on the IdP here, so only the nonce stops a replay.
 */
@KeycloakIntegrationTest
class ServerNonceTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

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

    private HttpResponse<String> askNonce(String form) throws Exception {
        return askNonce("application/x-www-form-urlencoded", form);
    }

    private HttpResponse<String> askNonce(String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/keybridge-native-sign-in/nonce"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String nonceFor(String clientId) throws Exception {
        HttpResponse<String> response = askNonce("client_id=" + clientId);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        JsonNode body = JsonSerialization.readValue(response.body(), JsonNode.class);
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
        HttpResponse<String> missing = askNonce("");
        assertEquals(400, missing.statusCode(), missing.body());
        assertEquals("invalid_request", JsonSerialization.readValue(missing.body(), JsonNode.class).path("error").asText());
        HttpResponse<String> unknown = askNonce("client_id=nobody");
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertEquals("invalid_client", JsonSerialization.readValue(unknown.body(), JsonNode.class).path("error").asText());
        HttpResponse<String> notOptedIn = askNonce("client_id=web");
        assertEquals(400, notOptedIn.statusCode(), notOptedIn.body());
        assertEquals("unauthorized_client", JsonSerialization.readValue(notOptedIn.body(), JsonNode.class).path("error").asText());
        // only a form is read: a JSON body names no client
        HttpResponse<String> json = askNonce("application/json", "{\"client_id\":\"mobile\"}");
        assertEquals(400, json.statusCode(), json.body());
        assertEquals("invalid_request", JsonSerialization.readValue(json.body(), JsonNode.class).path("error").asText());
    }

    @Test
    void aDisabledRealmIssuesNoNonce() throws Exception {
        RealmRepresentation disabled = realm.admin().toRepresentation();
        disabled.setEnabled(false);
        realm.admin().update(disabled);
        try {
            HttpResponse<String> refused = askNonce("client_id=mobile");
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals("access_denied", JsonSerialization.readValue(refused.body(), JsonNode.class).path("error").asText());
        } finally {
            disabled.setEnabled(true);
            realm.admin().update(disabled);
        }
    }
}

package dev.keybridge.it.compat.ertis;

import static dev.keybridge.it.compat.ertis.ErtisTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * Rows of the ErtisAuth table (docs/compatibility-apis.md) replayed from its document: the unhealthy healthcheck and
 * AccessDenied of a disabled membership (realm), and what answers the scoped tokens and verify-otp the pack does
 * not provide.
 */
@KeycloakIntegrationTest
class ErtisContractReplayTest {

    @InjectRealm(config = ReplayRealm.class)
    ManagedRealm realm;

    static class ReplayRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.revokeRefreshToken(true).refreshTokenMaxReuse(0)
                    .clients(ClientBuilder.create(ErtisTest.CLIENT).publicClient().directAccessGrantsEnabled())
                    .users(UserBuilder.create("selin").email("selin@example.com").name("Selin", "Kaya").password(ErtisTest.PASSWORD));
        }
    }

    private Http http() {
        return Http.at(realm).resource("ertis");
    }

    private Http.Response generateToken(Map<String, Object> body, Map<String, String> extraHeaders) throws Exception {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json", "X-Ertis-Alias", realm.getName()));
        headers.putAll(extraHeaders);
        return http().send("POST", "api/v1/generate-token", Http.toJson(body), headers);
    }

    private JsonNode tokens() throws Exception {
        Http.Response response = generateToken(Map.of("username", "selin", "password", ErtisTest.PASSWORD), Map.of());
        assertEquals(201, response.status(), response.body());
        return response.json();
    }

    /**
     * The document's failed healthcheck: 50X {@code {"status":"Unhealthy","message"}}; a disabled membership (realm)
     * is unhealthy. And the catalog's 403 AccessDenied on the other routes meanwhile.
     */
    @Test
    void disabledRealmIsUnhealthyAndEveryRouteIsAccessDenied() throws Exception {
        JsonNode tokens = tokens();
        String access = tokens.path("access_token").asText();
        String refresh = tokens.path("refresh_token").asText();
        setRealmEnabled(false);
        try {
            Http.Response health = http().send("GET", "api/v1/healthcheck", null, Map.of());
            assertEquals(503, health.status(), health.body());
            JsonNode state = health.json();
            assertEquals(List.of("status", "message"), Http.fieldNames(state), health.body());
            assertEquals("Unhealthy", state.path("status").asText());
            assertEquals("Realm " + realm.getName() + " is disabled", state.path("message").asText());

            assertError(generateToken(Map.of("username", "selin", "password", ErtisTest.PASSWORD), Map.of()), 403, "AccessDenied");
            for (String path : List.of("api/v1/me", "api/v1/whoami", "api/v1/verify-token")) {
                assertError(http().send("GET", path, null, Map.of("Authorization", "Bearer " + access)), 403, "AccessDenied");
            }
            assertError(http().send("GET", "api/v1/refresh-token", null, Map.of("Authorization", "Bearer " + refresh)), 403, "AccessDenied");
        } finally {
            setRealmEnabled(true);
        }
        Http.Response healthy = http().send("GET", "api/v1/healthcheck", null, Map.of());
        assertEquals(200, healthy.status(), healthy.body());
        assertEquals("{\"status\":\"Healthy\"}", healthy.body());
    }

    /**
     * Scoped tokens are not provided (difference on purpose): the original's scoped request, {@code {"scopes"}} with
     * a Bearer token, is a generate-token without credentials here, refused as ModelValidationError; nothing is issued.
     */
    @Test
    void scopedTokenRequestIsAModelValidationError() throws Exception {
        String access = tokens().path("access_token").asText();
        String userId = realm.admin().users().search("selin", true).get(0).getId();
        int sessions = realm.admin().users().get(userId).getUserSessions().size();
        assertError(generateToken(Map.of("scopes", List.of("users.read")), Map.of("Authorization", "Bearer " + access)),
                400, "ModelValidationError");
        assertEquals(sessions, realm.admin().users().get(userId).getUserSessions().size(), "no token issued");
    }

    /** verify-otp is not provided (difference on purpose): the route does not exist. */
    @Test
    void verifyOtpIsNotARoute() throws Exception {
        String access = tokens().path("access_token").asText();
        for (String method : List.of("GET", "POST")) {
            Http.Response response = http().send(method, "api/v1/verify-otp", method.equals("POST") ? "{\"otp\":\"123456\"}" : null,
                    Map.of("Authorization", "Bearer " + access, "Content-Type", "application/json", "X-Ertis-Alias", realm.getName()));
            assertEquals(404, response.status(), method + ": " + response.body());
        }
    }

    private void setRealmEnabled(boolean enabled) {
        RealmRepresentation rep = realm.admin().toRepresentation();
        rep.setEnabled(enabled);
        realm.admin().update(rep);
    }
}

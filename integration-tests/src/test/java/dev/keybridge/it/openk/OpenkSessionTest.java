package dev.keybridge.it.openk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserSessionRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/** POST /login, GET /checkAuth, POST /logout, GET /versionInfo, GET /healthcheck, and CORS. */
@KeycloakIntegrationTest
class OpenkSessionTest {

    @InjectRealm(config = SessionRealm.class)
    ManagedRealm realm;

    static class SessionRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm
                    .clients(ClientBuilder.create(OpenkHttp.PORTAL_CLIENT).publicClient().directAccessGrantsEnabled()
                            .webOrigins(OpenkHttp.PORTAL_ORIGIN))
                    .users(OpenkUsersForRoleTest.user("lena"), OpenkUsersForRoleTest.user("otto"),
                            OpenkUsersForRoleTest.user("rita"), OpenkUsersForRoleTest.user("cleo"));
        }
    }

    private OpenkHttp http() {
        return new OpenkHttp(realm);
    }

    private String login(String username) throws Exception {
        HttpResponse<String> response = http().post("login", null,
                "{\"userName\":\"" + username + "\",\"password\":\"" + OpenkUsersForRoleTest.PASSWORD + "\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode tokens = OpenkHttp.json(response);
        assertFalse(tokens.path("refresh_token").asText().isEmpty(), response.body());
        assertTrue(tokens.path("expires_in").asInt() > 0, response.body());
        return tokens.path("access_token").asText();
    }

    private List<UserSessionRepresentation> sessionsOf(String username) {
        String id = realm.admin().users().search(username, true).get(0).getId();
        return realm.admin().users().get(id).getUserSessions();
    }

    @Test
    void loginIssuesTokensOfThePortalClientInARealSession() throws Exception {
        String token = login("lena");
        List<UserSessionRepresentation> sessions = sessionsOf("lena");
        assertEquals(1, sessions.size());
        assertTrue(sessions.get(0).getClients().containsValue(OpenkHttp.PORTAL_CLIENT), sessions.get(0).getClients().toString());
        assertEquals(200, http().get("checkAuth", token).statusCode());
    }

    @Test
    void wrongPasswordIs401AndMalformedBodyIs400() throws Exception {
        OpenkHttp.assertError(http().post("login", null, "{\"userName\":\"lena\",\"password\":\"nope\"}"), 401, "invalid_grant");
        for (String body : List.of("{\"userName\":\"lena\"", "[]", "{\"user\":\"lena\",\"password\":\"x\"}", "")) {
            OpenkHttp.assertError(http().post("login", null, body), 400, "invalid_request");
        }
    }

    @Test
    void checkAuthResetsTheSessionIdleTimer() throws Exception {
        String token = login("otto");
        long lastAccessAtLogin = sessionsOf("otto").get(0).getLastAccess();
        Thread.sleep(2100);

        HttpResponse<String> check = http().get("checkAuth", token);

        assertEquals(200, check.statusCode(), check.body());
        assertEquals("OK", OpenkHttp.json(check).path("ret").asText());
        long lastAccessAfterCheck = sessionsOf("otto").get(0).getLastAccess();
        assertTrue(lastAccessAfterCheck >= lastAccessAtLogin + 2000,
                "last access should move by the 2 s waited: " + lastAccessAtLogin + " -> " + lastAccessAfterCheck);
    }

    @Test
    void logoutEndsTheSessionSoTheTokenNoLongerChecks() throws Exception {
        String token = login("rita");

        HttpResponse<String> logout = http().post("logout", token, null);

        assertEquals(200, logout.statusCode(), logout.body());
        assertEquals("OK", OpenkHttp.json(logout).path("ret").asText());
        assertEquals(List.of(), sessionsOf("rita"));
        assertEquals(401, http().get("checkAuth", token).statusCode());
        assertEquals(401, http().post("logout", token, null).statusCode());
    }

    @Test
    void checkAuthWithoutOrWithGarbageTokenIs401() throws Exception {
        assertEquals(401, http().get("checkAuth", null).statusCode());
        OpenkHttp.assertError(http().get("checkAuth", "not-a-jwt"), 401, "invalid_token");
    }

    @Test
    void versionInfoNamesKeybridgeKeycloakAndSchemaVersions() throws Exception {
        HttpResponse<String> response = http().get("versionInfo", null);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode info = OpenkHttp.json(response);
        assertEquals(System.getProperty("keybridge.version"), info.path("backendVersion").asText());
        assertTrue(info.path("keycloakVersion").asText().startsWith("26.7"), response.body());
        assertTrue(info.path("dbVersion").asText().startsWith("26."), response.body());
    }

    @Test
    void healthcheckIsHealthyPlainAndPretty() throws Exception {
        HttpResponse<String> plain = http().get("healthcheck", null);
        assertEquals(200, plain.statusCode(), plain.body());
        assertEquals("{\"Keycloak present\":{\"healthy\":true}}", plain.body());
        for (String pretty : List.of("healthcheck?pretty=true", "healthcheck/pretty=true")) {
            HttpResponse<String> response = http().get(pretty, null);
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\n"), pretty + " is not pretty: " + response.body());
            assertTrue(OpenkHttp.json(response).path("Keycloak present").path("healthy").asBoolean());
        }
    }

    @Test
    void corsPreflightAndActualRequestsFollowThePortalsWebOrigins() throws Exception {
        HttpResponse<String> preflight = http().send("OPTIONS", "checkAuth", null, null, Map.of(
                "Origin", OpenkHttp.PORTAL_ORIGIN, "Access-Control-Request-Method", "GET"));
        assertEquals(200, preflight.statusCode());
        assertEquals(OpenkHttp.PORTAL_ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("GET"));

        String token = login("cleo");
        HttpResponse<String> allowed = http().send("GET", "checkAuth", token, null, Map.of("Origin", OpenkHttp.PORTAL_ORIGIN));
        assertEquals(200, allowed.statusCode(), allowed.body());
        assertEquals(OpenkHttp.PORTAL_ORIGIN, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        HttpResponse<String> foreign = http().send("GET", "checkAuth", token, null, Map.of("Origin", "https://evil.example"));
        assertEquals(403, foreign.statusCode(), foreign.body());
        HttpResponse<String> foreignLogin = http().send("POST", "login", null,
                "{\"userName\":\"cleo\",\"password\":\"x\"}", Map.of("Origin", "https://evil.example"));
        assertEquals(403, foreignLogin.statusCode(), foreignLogin.body());
    }
}

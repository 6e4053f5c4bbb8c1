package dev.keybridge.it.openk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserSessionRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
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
                    .clients(OpenkPortal.client()
                            .webOrigins(OpenkPortal.ORIGIN))
                    .users(OpenkPortal.user("lena"), OpenkPortal.user("otto"),
                            OpenkPortal.user("rita"), OpenkPortal.user("cleo"));
        }
    }

    private Http http() {
        return Http.at(realm).resource("openk");
    }

    private String login(String username) throws Exception {
        Http.Response response = http().postJson("login",
                "{\"userName\":\"" + username + "\",\"password\":\"" + OpenkPortal.PASSWORD + "\"}");
        assertEquals(200, response.status(), response.body());
        JsonNode tokens = response.json();
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
        assertTrue(sessions.get(0).getClients().containsValue(OpenkPortal.CLIENT), sessions.get(0).getClients().toString());
        assertEquals(200, http().get("checkAuth", token).status());
    }

    @Test
    void wrongPasswordIs401AndMalformedBodyIs400() throws Exception {
        http().postJson("login", "{\"userName\":\"lena\",\"password\":\"nope\"}").assertError(401, "invalid_grant");
        for (String body : List.of("{\"userName\":\"lena\"", "[]", "{\"user\":\"lena\",\"password\":\"x\"}", "")) {
            http().postJson("login", body).assertError(400, "invalid_request");
        }
    }

    @Test
    void checkAuthResetsTheSessionIdleTimer() throws Exception {
        String token = login("otto");
        long lastAccessAtLogin = sessionsOf("otto").get(0).getLastAccess();
        Thread.sleep(2100);

        Http.Response check = http().get("checkAuth", token);

        assertEquals(200, check.status(), check.body());
        assertEquals("OK", check.json().path("ret").asText());
        long lastAccessAfterCheck = sessionsOf("otto").get(0).getLastAccess();
        assertTrue(lastAccessAfterCheck >= lastAccessAtLogin + 2000,
                "last access should move by the 2 s waited: " + lastAccessAtLogin + " -> " + lastAccessAfterCheck);
    }

    @Test
    void logoutEndsTheSessionSoTheTokenNoLongerChecks() throws Exception {
        String token = login("rita");

        Http.Response logout = http().json("POST", "logout", null, Http.bearer(token));

        assertEquals(200, logout.status(), logout.body());
        assertEquals("OK", logout.json().path("ret").asText());
        assertEquals(List.of(), sessionsOf("rita"));
        assertEquals(401, http().get("checkAuth", token).status());
        assertEquals(401, http().json("POST", "logout", null, Http.bearer(token)).status());
    }

    @Test
    void checkAuthWithoutOrWithGarbageTokenIs401() throws Exception {
        assertEquals(401, http().get("checkAuth", null).status());
        http().get("checkAuth", "not-a-jwt").assertError(401, "invalid_token");
    }

    @Test
    void versionInfoNamesKeybridgeKeycloakAndSchemaVersions() throws Exception {
        Http.Response response = http().get("versionInfo", null);
        assertEquals(200, response.status(), response.body());
        JsonNode info = response.json();
        assertEquals(System.getProperty("keybridge.version"), info.path("backendVersion").asText());
        assertTrue(info.path("keycloakVersion").asText().startsWith("26.7"), response.body());
        assertTrue(info.path("dbVersion").asText().startsWith("26."), response.body());
    }

    @Test
    void healthcheckIsHealthyPlainAndPretty() throws Exception {
        Http.Response plain = http().get("healthcheck", null);
        assertEquals(200, plain.status(), plain.body());
        assertEquals("{\"Keycloak present\":{\"healthy\":true}}", plain.body());
        for (String pretty : List.of("healthcheck?pretty=true", "healthcheck/pretty=true")) {
            Http.Response response = http().get(pretty, null);
            assertEquals(200, response.status(), response.body());
            assertTrue(response.body().contains("\n"), pretty + " is not pretty: " + response.body());
            assertTrue(response.json().path("Keycloak present").path("healthy").asBoolean());
        }
    }

    @Test
    void corsPreflightAndActualRequestsFollowThePortalsWebOrigins() throws Exception {
        Http.Response preflight = http().send("OPTIONS", "checkAuth", null, Map.of(
                "Origin", OpenkPortal.ORIGIN, "Access-Control-Request-Method", "GET"));
        assertEquals(200, preflight.status());
        assertEquals(OpenkPortal.ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("GET"));

        String token = login("cleo");
        Http.Response allowed = http().send("GET", "checkAuth", null, Map.of("Origin", OpenkPortal.ORIGIN, "Authorization", "Bearer " + token));
        assertEquals(200, allowed.status(), allowed.body());
        assertEquals(OpenkPortal.ORIGIN, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        Http.Response foreign = http().send("GET", "checkAuth", null, Map.of("Origin", "https://evil.example", "Authorization", "Bearer " + token));
        assertEquals(403, foreign.status(), foreign.body());
        Http.Response foreignLogin = http().send("POST", "login",
                "{\"userName\":\"cleo\",\"password\":\"x\"}", Map.of("Origin", "https://evil.example", "Content-Type", "application/json"));
        assertEquals(403, foreignLogin.status(), foreignLogin.body());
    }
}

package dev.keybridge.it.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.compat.watcherex.WatcherExTest;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.refresh.RotatingRefreshTokenRealm;
import dev.keybridge.tokens.refresh.RotatingRefreshTokenConfig;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * The compatibility refresh endpoints in a realm whose own "Revoke refresh token" is off: they refresh for clients that
 * a {@code rotating-refresh-token} client policy covers with rotation on (and the policy then catches a reuse), and
 * refuse, in each system's error shape, for a client outside every policy or under one with rotation off.
 */
@KeycloakIntegrationTest
class RotatingPolicyRefreshTest {

    @InjectRealm(config = PolicyRealm.class)
    ManagedRealm realm;

    static final String PASSWORD = "policy-pass-1";

    static class PolicyRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            CompatRealms.withoutVerifyProfile(realm).revokeRefreshToken(false);
            for (String clientId : List.of("ertis", "timelapseme", "wx-rotating", "wx-stock", "wx-no-rotation")) {
                realm.clients(ClientBuilder.create(clientId).publicClient().directAccessGrantsEnabled());
            }
            realm.users(UserBuilder.create("pia").email("pia@example.com").password(PASSWORD));
            RotatingRefreshTokenRealm.policy(realm, "rotating", RotatingRefreshTokenRealm.config(0, "family", 0, 0),
                    "ertis", "timelapseme", "wx-rotating");
            RotatingRefreshTokenConfig noRotation = RotatingRefreshTokenRealm.config(0, "family", 0, 0);
            noRotation.setRotate(false);
            RotatingRefreshTokenRealm.policy(realm, "not-rotating", noRotation, "wx-no-rotation");
            return realm;
        }
    }

    private Http.Response watcherExRefresh(String refreshToken) throws Exception {
        return Http.at(realm).resource("watcherex").postJson("api/v1/auth/protocol/openid-connect/token",
                Http.toJson(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken)));
    }

    private String watcherExLogin(String clientId) throws Exception {
        Http.Response login = Http.at(realm).resource("watcherex").postJson("api/v1/auth/protocol/openid-connect/token",
                Http.toJson(Map.of("grant_type", "password", "client_id", clientId, "username", "pia", "password", PASSWORD)));
        assertEquals(200, login.status(), login.body());
        return login.json().path("refresh_token").asText();
    }

    @Test
    void watcherExRefreshesOnlyUnderARotatingPolicy() throws Exception {
        String first = watcherExLogin("wx-rotating");
        Http.Response refreshed = watcherExRefresh(first);
        assertEquals(200, refreshed.status(), refreshed.body());
        assertNotEquals(first, refreshed.json().path("refresh_token").asText());
        // the policy's reuse detection, in WatcherEx's shape
        WatcherExTest.assertError(watcherExRefresh(first), 403, "unauthenticated");

        WatcherExTest.assertError(watcherExRefresh(watcherExLogin("wx-stock")), 403, "unauthenticated");
        WatcherExTest.assertError(watcherExRefresh(watcherExLogin("wx-no-rotation")), 403, "unauthenticated");
    }

    @Test
    void ertisRefreshesUnderTheRotatingPolicy() throws Exception {
        Http ertis = Http.at(realm).resource("ertis");
        Http.Response generated = ertis.send("POST", "api/v1/generate-token",
                Http.toJson(Map.of("username", "pia", "password", PASSWORD)),
                Map.of("Content-Type", "application/json", "X-Ertis-Alias", realm.getName()));
        assertEquals(201, generated.status(), generated.body());
        String first = generated.json().path("refresh_token").asText();
        Http.Response refreshed = ertis.send("GET", "api/v1/refresh-token", null, Map.of("Authorization", "Bearer " + first));
        assertEquals(201, refreshed.status(), refreshed.body());
        Http.Response reused = ertis.send("GET", "api/v1/refresh-token", null, Map.of("Authorization", "Bearer " + first));
        assertEquals(401, reused.status(), reused.body());
        assertEquals("RefreshTokenWasRevoked", reused.json().path("ErrorCode").asText());
    }

    @Test
    void timeLapseMeRefreshesUnderTheRotatingPolicy() throws Exception {
        Http timelapseme = Http.at(realm).resource("timelapseme");
        Http.Response signedIn = timelapseme.postJson("api/v1/auth/credentials",
                Http.toJson(Map.of("email", "pia@example.com", "password", PASSWORD)));
        assertEquals(200, signedIn.status(), signedIn.body());
        String first = signedIn.json().path("refreshToken").asText();
        Http.Response refreshed = timelapseme.postJson("api/v1/refresh", Http.toJson(Map.of("refreshToken", first)));
        assertEquals(200, refreshed.status(), refreshed.body());
        JsonNode tokens = refreshed.json();
        assertNotEquals(first, tokens.path("refreshToken").asText());
        Http.Response reused = timelapseme.postJson("api/v1/refresh", Http.toJson(Map.of("refreshToken", first)));
        assertEquals(400, reused.status(), reused.body());
        assertEquals("That refresh token is invalid.", reused.body());
    }
}

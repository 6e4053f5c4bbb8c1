package dev.keybridge.it.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import dev.keybridge.it.harness.Http;
import dev.keybridge.it.refresh.RotatingRefreshTokenRealm;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * A refresh chain whose family lifetime under the {@code rotating-refresh-token} policy is over, while the refresh
 * token itself is still valid for Keycloak: ErtisAuth and TimeLapseMe answer with their "expired" refusal (the
 * policy's typed mark), not with the "revoked"/"invalid" one a reused token gets.
 */
@KeycloakIntegrationTest
class RefreshFamilyExpiryRoutesTest {

    private static final String PASSWORD = "family-pass-1";
    private static final int IDLE_SECONDS = 2;

    @InjectRealm(config = ShortFamilyRealm.class)
    ManagedRealm realm;

    static class ShortFamilyRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            CompatRealms.withoutVerifyProfile(realm).revokeRefreshToken(false);
            for (String clientId : List.of("ertis", "timelapseme")) {
                realm.clients(ClientBuilder.create(clientId).publicClient().directAccessGrantsEnabled());
            }
            realm.users(UserBuilder.create("fay").email("fay@example.com").password(PASSWORD));
            RotatingRefreshTokenRealm.policy(realm, "short-family", RotatingRefreshTokenRealm.config(0, "family", 0, IDLE_SECONDS),
                    "ertis", "timelapseme");
            return realm;
        }
    }

    @Test
    void ertisAnswersRefreshTokenWasExpiredOnceTheFamilyIsIdleTooLong() throws Exception {
        Http ertis = Http.at(realm).resource("ertis");
        Http.Response generated = ertis.send("POST", "api/v1/generate-token",
                Http.toJson(Map.of("username", "fay", "password", PASSWORD)),
                Map.of("Content-Type", "application/json", "X-Ertis-Alias", realm.getName()));
        assertEquals(201, generated.status(), generated.body());
        String refreshToken = generated.json().path("refresh_token").asText();
        Thread.sleep((IDLE_SECONDS + 2) * 1000L);
        Http.Response expired = ertis.send("GET", "api/v1/refresh-token", null, Map.of("Authorization", "Bearer " + refreshToken));
        assertEquals(401, expired.status(), expired.body());
        assertEquals("RefreshTokenWasExpired", expired.json().path("ErrorCode").asText(), expired.body());
    }

    @Test
    void timeLapseMeAnswersThatTheRefreshTokenHasExpiredOnceTheFamilyIsIdleTooLong() throws Exception {
        Http timelapseme = Http.at(realm).resource("timelapseme");
        Http.Response signedIn = timelapseme.postJson("api/v1/auth/credentials",
                Http.toJson(Map.of("email", "fay@example.com", "password", PASSWORD)));
        assertEquals(200, signedIn.status(), signedIn.body());
        String refreshToken = signedIn.json().path("refreshToken").asText();
        Thread.sleep((IDLE_SECONDS + 2) * 1000L);
        Http.Response expired = timelapseme.postJson("api/v1/refresh", Http.toJson(Map.of("refreshToken", refreshToken)));
        assertEquals(400, expired.status(), expired.body());
        assertEquals("That refresh token has expired.", expired.body());
    }
}

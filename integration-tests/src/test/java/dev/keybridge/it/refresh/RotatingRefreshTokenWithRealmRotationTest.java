package dev.keybridge.it.refresh;

import static dev.keybridge.it.refresh.RefreshBenchRealm.BENCH_APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

/** With Keycloak's realm-wide "Revoke Refresh Token" also on, the policy's verdicts still decide for its clients. */
@KeycloakIntegrationTest
class RotatingRefreshTokenWithRealmRotationTest {

    @InjectRealm(config = RefreshBenchRealm.BothRotations.class)
    ManagedRealm realm;

    @Test
    void reuseInsideTheIntervalIsNotTurnedIntoAStockStaleTokenFailure() {
        Http oidc = Http.session(realm.getBaseUrl());
        Http.Response root = oidc.passwordGrant(BENCH_APP, RotatingRefreshTokenRealm.USER, RotatingRefreshTokenRealm.PASSWORD, "openid");
        assertEquals(200, root.status(), () -> root.body().toString());

        Http.Response first = oidc.refresh(BENCH_APP, root.refreshToken());
        Http.Response retry = oidc.refresh(BENCH_APP, root.refreshToken());
        assertEquals(200, first.status(), () -> first.body().toString());
        assertEquals(200, retry.status(), () -> "stock max-reuse 0 would refuse this: " + retry.body());

        Http.Response continued = oidc.refresh(BENCH_APP, first.refreshToken());
        assertEquals(200, continued.status(), () -> continued.body().toString());
        Http.Response older = oidc.refresh(BENCH_APP, root.refreshToken());
        assertEquals(400, older.status());
        assertTrue(older.errorDescription().contains("reuse detected"), older.errorDescription());
    }
}

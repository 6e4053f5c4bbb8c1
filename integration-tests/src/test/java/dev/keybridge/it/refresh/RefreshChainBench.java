package dev.keybridge.it.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * Refresh-chain throughput with the policy against Keycloak's stock realm rotation, in one run on one
 * server: every worker logs in once and then refreshes with the token it just received. Rounds
 * alternate between the two setups so load from elsewhere on the machine hits both alike.
 */
@KeycloakIntegrationTest
class RefreshChainBench {

    private static final int WORKERS = 4;
    private static final int REFRESHES_PER_WORKER = 50;
    private static final int ROUNDS = 5;
    private static final double REQUIRED_RATIO = 0.9;

    @InjectRealm(ref = "policy", config = RefreshBenchRealm.PolicyRotation.class)
    ManagedRealm policyRealm;

    @InjectRealm(ref = "stock", config = RefreshBenchRealm.StockRotation.class)
    ManagedRealm stockRealm;

    @Test
    void policyKeepsAtLeastNinetyPercentOfStockRotationThroughput() throws Exception {
        OidcHttp policy = new OidcHttp(policyRealm.getBaseUrl());
        OidcHttp stock = new OidcHttp(stockRealm.getBaseUrl());

        chainRound(stock); // warm-up of both code paths
        chainRound(policy);
        long stockNanos = 0;
        long policyNanos = 0;
        for (int round = 0; round < ROUNDS; round++) {
            stockNanos += chainRound(stock);
            policyNanos += chainRound(policy);
        }
        int refreshes = ROUNDS * WORKERS * REFRESHES_PER_WORKER;
        double stockPerSecond = refreshes / (stockNanos / 1e9);
        double policyPerSecond = refreshes / (policyNanos / 1e9);
        System.out.printf("refresh-chain benchmark (%d workers x %d refreshes x %d rounds): stock realm rotation %.1f refreshes/s, "
                        + "rotating-refresh-token policy %.1f refreshes/s (%.0f%%)%n",
                WORKERS, REFRESHES_PER_WORKER, ROUNDS, stockPerSecond, policyPerSecond, 100 * policyPerSecond / stockPerSecond);
        assertTrue(policyPerSecond >= REQUIRED_RATIO * stockPerSecond,
                "policy throughput " + policyPerSecond + "/s is below 90% of stock " + stockPerSecond + "/s");
    }

    /** @return wall-clock nanoseconds for WORKERS parallel chains of REFRESHES_PER_WORKER refreshes (logins excluded) */
    private static long chainRound(OidcHttp oidc) throws Exception {
        OidcHttp.Client client = RefreshBenchRealm.BENCH_APP;
        List<String> roots = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            OidcHttp.TokenResponse login = oidc.passwordGrant(client, RotatingRefreshTokenRealm.USER, RotatingRefreshTokenRealm.PASSWORD, "openid");
            assertEquals(200, login.status(), () -> login.body().toString());
            roots.add(login.refreshToken());
        }
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            long start = System.nanoTime();
            List<Future<?>> chains = new ArrayList<>();
            for (String root : roots) {
                chains.add(pool.submit(() -> {
                    String token = root;
                    for (int i = 0; i < REFRESHES_PER_WORKER; i++) {
                        OidcHttp.TokenResponse next = oidc.refresh(client, token);
                        assertEquals(200, next.status(), () -> next.body().toString());
                        token = next.refreshToken();
                    }
                    return null;
                }));
            }
            for (Future<?> chain : chains) {
                chain.get();
            }
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }
}

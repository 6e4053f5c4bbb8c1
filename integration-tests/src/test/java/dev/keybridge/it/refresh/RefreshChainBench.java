package dev.keybridge.it.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keybridge.it.bench.AlternatingLoad;
import dev.keybridge.it.bench.AlternatingLoad.Comparison;
import dev.keybridge.it.bench.AlternatingLoad.Variant;
import dev.keybridge.it.bench.BenchResults;
import dev.keybridge.it.bench.BenchResults.Headline;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * Refresh-chain throughput with the policy against Keycloak's stock realm rotation, in one run on one
 * server: every worker logs in (outside the timed part) and then refreshes with the token it just
 * received. Rounds alternate between the two setups so load from elsewhere on the machine hits both alike.
 */
@KeycloakIntegrationTest
class RefreshChainBench {

    private static final int WORKERS = 4;
    private static final double REQUIRED_RATIO = 0.9;

    @InjectRealm(ref = "policy", config = RefreshBenchRealm.PolicyRotation.class)
    ManagedRealm policyRealm;

    @InjectRealm(ref = "stock", config = RefreshBenchRealm.StockRotation.class)
    ManagedRealm stockRealm;

    @Test
    void refreshChainsWithThePolicyAndWithStockRotation() throws Exception {
        Comparison result = AlternatingLoad.run(WORKERS,
                chain("rotating-refresh-token policy", new OidcHttp(policyRealm.getBaseUrl())),
                chain("stock realm rotation (revoke refresh token, max reuse 0)", new OidcHttp(stockRealm.getBaseUrl())));
        BenchResults.workload("refresh-chain", "refresh chains, " + WORKERS + " workers each refreshing with the token it just got",
                        Headline.THROUGHPUT)
                .keybridge(result.keybridge()).stock(result.stock())
                .target("issue 4", "policy throughput at least 90% of stock rotation", result.throughputRatio() >= REQUIRED_RATIO)
                .write();
    }

    private static Variant chain(String label, OidcHttp oidc) {
        OidcHttp.Client client = RefreshBenchRealm.BENCH_APP;
        return new Variant(label, () -> {
            OidcHttp.TokenResponse login = oidc.passwordGrant(client, RotatingRefreshTokenRealm.USER, RotatingRefreshTokenRealm.PASSWORD, "openid");
            assertEquals(200, login.status(), () -> login.body().toString());
            String[] latest = {login.refreshToken()};
            return () -> {
                OidcHttp.TokenResponse next = oidc.refresh(client, latest[0]);
                assertEquals(200, next.status(), () -> next.body().toString());
                latest[0] = next.refreshToken();
            };
        });
    }
}

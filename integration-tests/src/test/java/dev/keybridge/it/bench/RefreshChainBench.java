package dev.keybridge.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import dev.keybridge.it.bench.AlternatingLoad.Measured;
import dev.keybridge.it.bench.AlternatingLoad.Schedule;
import dev.keybridge.it.bench.AlternatingLoad.Variant;
import dev.keybridge.it.bench.BenchResults.Headline;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.refresh.RefreshBenchRealm;
import dev.keybridge.it.refresh.RotatingRefreshTokenRealm;
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
    /** As the Tapis bench: a 10 % figure on 2 shared cores needs more round pairs than the run's default. */
    private static final Schedule SCHEDULE = new Schedule(10, 48, 24);

    @InjectRealm(ref = "policy", config = RefreshBenchRealm.PolicyRotation.class)
    ManagedRealm policyRealm;

    @InjectRealm(ref = "stock", config = RefreshBenchRealm.StockRotation.class)
    ManagedRealm stockRealm;

    @Test
    void refreshChainsWithThePolicyAndWithStockRotation() throws Exception {
        List<Measured> result = AlternatingLoad.runAll(WORKERS, List.of(
                chain("rotating-refresh-token policy", Http.session(policyRealm.getBaseUrl())),
                chain("stock realm rotation (revoke refresh token, max reuse 0)", Http.session(stockRealm.getBaseUrl()))),
                Schedule.DEFAULT.atLeast(SCHEDULE));
        Measured policy = result.get(0);
        Measured stock = result.get(1);
        // a dedicated server's throughput ratio: stock's CPU per refresh over the policy's, round by round
        double ratio = AlternatingLoad.medianPairedRatio(stock.roundServerCpuMicros(), policy.roundServerCpuMicros());
        double[] interval = AlternatingLoad.pairedRatioInterval(stock.roundServerCpuMicros(), policy.roundServerCpuMicros());
        BenchResults.workload("refresh-chain", "refresh chains, " + WORKERS + " workers each refreshing with the token it just got",
                        Headline.THROUGHPUT)
                .keybridge(policy).stock(stock)
                .target("issue 4", "policy throughput at least 90% of stock rotation", ratio >= REQUIRED_RATIO)
                .note("the server's throughput with the policy: %.1f %% of stock rotation's (95 %% interval %.1f to %.1f %%); its CPU "
                                + "per refresh %.0f us with the policy, %.0f us stock; median over %d rounds of the ratio in each round",
                        ratio * 100, interval[0] * 100, interval[1] * 100, policy.serverCpuMicrosPerRequest(),
                        stock.serverCpuMicrosPerRequest(), policy.roundServerCpuMicros().length)
                .note("closed-loop throughput on this machine, load generator included: %.1f %% of stock's (median of the rounds' "
                        + "ratios)", AlternatingLoad.medianPairedRatio(policy.roundThroughputs(), stock.roundThroughputs()) * 100)
                .write();
    }

    private static Variant chain(String label, Http oidc) {
        Http.Client client = RefreshBenchRealm.BENCH_APP;
        return new Variant(label, () -> {
            Http.Response login = oidc.passwordGrant(client, RotatingRefreshTokenRealm.USER, RotatingRefreshTokenRealm.PASSWORD, "openid");
            assertEquals(200, login.status(), () -> login.body().toString());
            String[] latest = {login.refreshToken()};
            return () -> {
                Http.Response next = oidc.refresh(client, latest[0]);
                assertEquals(200, next.status(), () -> next.body().toString());
                latest[0] = next.refreshToken();
            };
        });
    }
}

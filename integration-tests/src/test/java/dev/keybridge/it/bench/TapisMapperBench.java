package dev.keybridge.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.bench.AlternatingLoad.Comparison;
import dev.keybridge.it.bench.AlternatingLoad.Measured;
import dev.keybridge.it.bench.AlternatingLoad.Schedule;
import dev.keybridge.it.bench.AlternatingLoad.Variant;
import dev.keybridge.it.bench.BenchResults.Headline;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.tapis.TapisRealm;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.credential.hash.PasswordHashProviderFactory;
import org.keycloak.credential.hash.Pbkdf2Sha512PasswordHashProviderFactory;
import org.keycloak.crypto.hash.Argon2PasswordHashProviderFactory;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;
import org.keycloak.util.JsonSerialization;

/**
 * Cost of the tapis-claims mapper on token issuance: two clients of one realm, identical but for the
 * mapper, measured in one run in alternating rounds. The password grant is also set against the
 * bound the realm's password hashing puts on it, that hashing timed in this JVM in the same run. A third
 * client carries the same claims from stock hardcoded-claim mappers, to tell what the claims cost in the
 * token from what the mapper's code costs.
 * Not a *Test, so a normal build skips it; bench/run.sh runs it and reports it.
 */
@KeycloakIntegrationTest
class TapisMapperBench {

    private static final int THREADS = 4;
    private static final double MAX_COST = 0.05;
    /**
     * The 5% figure needs more than the run's default: a freshly started server is still compiling for
     * minutes, and the ratio of two identical clients' CPU per grant in one 2-second round pair varies
     * by about 3.5% either way (interquartile range): 24 pairs put the median within about 1.5%.
     */
    private static final Schedule CLIENT_CREDENTIALS_SCHEDULE = new Schedule(10, 48, 24);
    private static final String USER = "bench-user";
    private static final String PASSWORD = "bench-password-1";

    @InjectRealm(config = BenchRealm.class)
    ManagedRealm realm;

    public static class BenchRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.name("tapis-bench")
                    .users(UserBuilder.create(USER).password(PASSWORD).email("bench@example.org").emailVerified(true)
                            .name("Bench", "User").enabled(true))
                    // the password grant's own pair: the sessions it leaves behind (persisted, a few hundred per
                    // client) made client_credentials of the clients they belong to measurably dearer
                    .clients(ClientBuilder.create("with-mapper").secret("secret").serviceAccountsEnabled()
                                    .protocolMappers(TapisRealm.tapisMapper(Map.of("tapis.target.site", "tacc"))),
                            ClientBuilder.create("without-mapper").secret("secret").serviceAccountsEnabled(),
                            ClientBuilder.create("without-mapper-too").secret("secret").serviceAccountsEnabled(),
                            ClientBuilder.create("stock-claims").secret("secret").serviceAccountsEnabled()
                                    .protocolMappers(hardcodedTapisClaims()),
                            ClientBuilder.create("password-with-mapper").secret("secret").directAccessGrantsEnabled()
                                    .protocolMappers(TapisRealm.tapisMapper(Map.of("tapis.target.site", "tacc"))),
                            ClientBuilder.create("password-without-mapper").secret("secret").directAccessGrantsEnabled());
        }

        /**
         * The claims the with-mapper client's service-account token gets, with the same names and values,
         * from Keycloak's own hardcoded-claim mapper; all but {@code tapis/delegation_sub}: null, which no
         * stock mapper can emit.
         */
        private static ProtocolMapperRepresentation[] hardcodedTapisClaims() {
            return new ProtocolMapperRepresentation[] {
                    hardcoded("tapis/tenant_id", TapisRealm.TENANT, "String"),
                    hardcoded("tapis/token_type", "access", "String"),
                    hardcoded("tapis/delegation", "false", "boolean"),
                    hardcoded("tapis/username", "with-mapper", "String"),
                    hardcoded("tapis/account_type", "service", "String"),
                    hardcoded("tapis/target_site", "tacc", "String"),
                    hardcoded(TapisRealm.TAPIS_SUB_CLAIM, "with-mapper@" + TapisRealm.TENANT, "String")};
        }

        private static ProtocolMapperRepresentation hardcoded(String claim, String value, String jsonType) {
            return TapisRealm.mapper("hardcoded " + claim, "oidc-hardcoded-claim-mapper", Map.of("claim.name", claim,
                    "claim.value", value, "jsonType.label", jsonType, "access.token.claim", "true",
                    "introspection.token.claim", "true", "id.token.claim", "false", "userinfo.token.claim", "false"));
        }
    }

    @Test
    void clientCredentialsWithAndWithoutMapper() throws Exception {
        Map<String, String> clientCredentials = Map.of("grant_type", "client_credentials");
        List<Measured> result = AlternatingLoad.runAll(THREADS, List.of(
                grant("with tapis-claims mapper", "with-mapper", clientCredentials),
                grant("same client without mapper", "without-mapper", clientCredentials),
                grant("same claims from 7 stock hardcoded-claim mappers", "stock-claims", clientCredentials),
                grant("a second, identical client without mapper", "without-mapper-too", clientCredentials)),
                Schedule.DEFAULT.atLeast(CLIENT_CREDENTIALS_SCHEDULE));
        Measured mapper = result.get(0);
        Measured none = result.get(1);
        Measured stockClaims = result.get(2);
        Measured noneToo = result.get(3);
        // throughput a dedicated server loses: its CPU per grant without the mapper over with it, round by round
        double cost = serverCost(mapper, none);
        double[] interval = AlternatingLoad.pairedRatioInterval(none.roundServerCpuMicros(), mapper.roundServerCpuMicros());
        double closedLoopCost = 1 - AlternatingLoad.medianPairedRatio(mapper.roundThroughputs(), none.roundThroughputs());
        BenchResults.workload("tapis-client-credentials", "client_credentials grant, tapis-claims mapper on vs off (" + THREADS + " threads)",
                        Headline.THROUGHPUT)
                .keybridge(mapper).stock(none)
                .target("issue 3", "mapper costs under 5% of client_credentials throughput", cost < MAX_COST)
                .note("cost of the mapper: %.1f %% of the server's throughput (95 %% interval %.1f to %.1f %%); its CPU per grant: "
                                + "%.0f us with the mapper, %.0f us without; median over %d rounds of the ratio in each round", cost * 100,
                        (1 - interval[1]) * 100, (1 - interval[0]) * 100, mapper.serverCpuMicrosPerRequest(),
                        none.serverCpuMicrosPerRequest(), mapper.roundServerCpuMicros().length)
                .note("resolution of this measurement: a second client identical to the one without mapper measures %.1f %% "
                        + "against it", serverCost(noneToo, none) * 100)
                .note("closed-loop throughput on this machine, load generator included: %.1f %% lower with the mapper (median of "
                        + "the rounds' ratios)", closedLoopCost * 100)
                .note("the same claims from stock hardcoded-claim mappers cost %.1f %% of the server's throughput in the same run "
                        + "(workload tapis-client-credentials-stock-claims)", serverCost(stockClaims, none) * 100)
                .write();
        BenchResults.workload("tapis-client-credentials-stock-claims",
                        "client_credentials grant, tapis-claims mapper vs the same claims from stock mappers (" + THREADS + " threads)",
                        Headline.THROUGHPUT)
                .keybridge(mapper).stock(stockClaims)
                .noTarget("informative: what the claims cost in the token vs what the mapper's code costs")
                .note("measured in the same alternating rounds as tapis-client-credentials; stock mappers' cost vs no mapper: %.1f %% "
                                + "of the server's throughput (server CPU per grant %.0f us)", serverCost(stockClaims, none) * 100,
                        stockClaims.serverCpuMicrosPerRequest())
                .note("mapper vs stock mappers: %.1f %% of the server's throughput", serverCost(mapper, stockClaims) * 100)
                .write();
    }

    /** The share of a dedicated server's throughput {@code variant} loses against {@code base}: from CPU per request, round by round. */
    private static double serverCost(Measured variant, Measured base) {
        return 1 - AlternatingLoad.medianPairedRatio(base.roundServerCpuMicros(), variant.roundServerCpuMicros());
    }

    @Test
    void passwordGrantWithAndWithoutMapperAgainstTheHashBound() throws Exception {
        Map<String, String> password = Map.of("grant_type", "password", "username", USER, "password", PASSWORD);
        Comparison result = AlternatingLoad.run(THREADS,
                grant("with tapis-claims mapper", "password-with-mapper", password),
                grant("same client without mapper", "password-without-mapper", password));
        double cost = 1 - result.throughputRatio();
        BenchResults.workload("tapis-password", "password grant, tapis-claims mapper on vs off (" + THREADS + " threads)", Headline.THROUGHPUT)
                .keybridge(result.keybridge()).stock(result.stock())
                .noTarget("issue 3: its 5% figure is for client_credentials")
                .note("cost of the mapper: %.1f %% of the median round throughput", cost * 100)
                .write();

        JsonNode stored = storedCredential();
        Measured bound = hashBound(stored.path("algorithm").asText());
        BenchResults.workload("password-hash-bound", "password grant (mapper off) vs the bound set by the realm's hash cost", Headline.THROUGHPUT)
                .keybridge(result.stock().labelled("password grant, client without mapper (the run above)")).stock(bound)
                .noTarget("issues 3 and 10 state none; issue 6's 90% is for mysql-users logins")
                .note("bound: Keycloak's own hash provider for the algorithm the server stored for the user (%s), "
                                + "verifying on %d threads (the machine's cores) in the test JVM, right after the grants",
                        stored, cores())
                .write();
    }

    /** What the server stored for the bench user: algorithm and its parameters, no hash or salt. */
    private JsonNode storedCredential() throws Exception {
        String userId = realm.admin().users().search(USER, true).get(0).getId();
        CredentialRepresentation credential = realm.admin().users().get(userId).credentials().stream()
                .filter(c -> PasswordCredentialModel.TYPE.equals(c.getType())).findFirst().orElseThrow();
        return JsonSerialization.mapper.readTree(credential.getCredentialData());
    }

    private Variant grant(String label, String clientId, Map<String, String> form) {
        String url = realm.getBaseUrl() + "/protocol/openid-connect/token";
        return new Variant(label, () -> () -> {
            Http.Response reply = Http.plain().form(url, form, Http.basic(clientId, "secret"));
            assertEquals(200, reply.status(), reply.body());
        });
    }

    /** Password verifications per second the hash alone allows on all cores: no grant can beat it. */
    private static Measured hashBound(String algorithm) throws Exception {
        PasswordHashProviderFactory factory = switch (algorithm) {
            case Argon2PasswordHashProviderFactory.ID -> new Argon2PasswordHashProviderFactory();
            case Pbkdf2Sha512PasswordHashProviderFactory.ID -> new Pbkdf2Sha512PasswordHashProviderFactory();
            default -> throw new IllegalStateException("no bound for the realm's hash algorithm " + algorithm);
        };
        // no server configuration: the provider's defaults, which the server used too
        factory.init(new Config.SystemPropertiesScope("keybridge.bench.hash."));
        PasswordHashProvider hash = factory.create(null);
        PasswordCredentialModel stored = hash.encodedCredential(PASSWORD, -1);
        return AlternatingLoad.runOne(cores(), new Variant(algorithm + " verify alone", () -> () -> {
            if (!hash.verify(PASSWORD, stored)) {
                throw new IllegalStateException("password did not verify");
            }
        }));
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}

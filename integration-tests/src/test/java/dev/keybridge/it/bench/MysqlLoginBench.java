package dev.keybridge.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

import dev.keybridge.it.bench.AlternatingLoad.Measured;
import dev.keybridge.it.bench.BenchResults.Headline;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.storage.LegacyUsersDatabase;
import dev.keybridge.storage.hash.HashAlgorithm;
import dev.keybridge.storage.hash.LegacyPasswordHashes;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * Login throughput of federated mysql-users users (password grant, bcrypt cost 10) next to the bound
 * the hash cost alone sets: the same number of bcrypt verifications on the same machine, with the
 * same concurrency, in interleaved rounds of one run; and, as stock Keycloak's side and to tell the
 * provider's share from Keycloak's, password grants of local users whose hash costs nothing. Every
 * login is a user not yet in Keycloak's user cache, on both sides. Uses the 1,000,000-row database
 * bench/storage/run.sh loads (-Dkeybridge.bench.db), or a database of its own with 10,000 bench rows.
 * Writes workload {@code storage-login} through {@link BenchResults}. Not a *Test: a normal build skips it.
 */
@KeycloakIntegrationTest
class MysqlLoginBench {

    private static final int THREADS = 4;
    private static final int WARMUP = 40;
    private static final int ROUNDS = 6;
    private static final int PER_ROUND = 60;
    private static final int OWN_ROWS = 10_000;
    private static final double TARGET = 0.90;
    /** Every bench row's hash: bcrypt $2b$ cost 10 of PASSWORD, as in bench/storage/run.sh. */
    private static final String BENCH_HASH = "$2b$10$Js/udrEfJXz2ZHdcrpZ1DeZzWk2oLklQy2rj2I4R6r/aUwHdok2mi";
    private static final String PASSWORD = "Moo00!_*&";
    private static final String LOCAL_USER_PREFIX = "local-bench-";
    /** Logins of each side, with a hash that costs next to nothing, before the warm-up proper. */
    private static final int WARMUP_LOGINS = 1500;
    /** One local user per local login, warm-up included: none is in Keycloak's user cache when it logs in. */
    private static final int LOCAL_USERS = WARMUP_LOGINS + WARMUP + ROUNDS * PER_ROUND;

    private static final ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();

    @InjectRealm(config = BenchRealm.class)
    ManagedRealm realm;

    public static class BenchRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId("bench-app");
            client.setPublicClient(true);
            client.setDirectAccessGrantsEnabled(true);
            // local users whose hash costs nothing: their logins are Keycloak's own share of a password grant
            realm.name("mysql-login-bench").clients(client).passwordPolicy("hashAlgorithm(pbkdf2-sha256) and hashIterations(1)");
            for (int i = 1; i <= LOCAL_USERS; i++) {
                realm.users(UserBuilder.create(LOCAL_USER_PREFIX + i).email(LOCAL_USER_PREFIX + i + "@bench.dev").firstName("Local")
                        .lastName("Bench").password(PASSWORD));
            }
            return realm;
        }
    }

    @Test
    void federatedLoginThroughputAgainstTheBcryptBound() throws Exception {
        String sharedDatabase = System.getProperty("keybridge.bench.db");
        LegacyUsersDatabase ownDatabase = sharedDatabase == null ? new LegacyUsersDatabase() : null;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            if (ownDatabase != null) {
                ownDatabase.update("INSERT INTO Users (email, passwordHash, authenticationMethod, nickname, createdAt, updatedAt) "
                        + "SELECT CONCAT('user', seq, '@bench.dev'), ?, 'CREDENTIALS', CONCAT('Nick ', seq), NOW(), NOW() "
                        + "FROM seq_1_to_" + OWN_ROWS, BENCH_HASH);
            }
            String jdbcUrl = ownDatabase != null ? ownDatabase.jdbcUrl()
                    : "jdbc:mariadb://" + LegacyUsersDatabase.HOST + "/" + sharedDatabase;
            int benchUsers = benchUsers(jdbcUrl);
            insertWarmUpRows(jdbcUrl);
            try (Response added = realm.admin().components().add(LegacyUsersDatabase.component(
                    realm.admin().toRepresentation().getId(), "READ_ONLY", jdbcUrl, Map.of()))) {
                assertEquals(201, added.getStatus());
            }

            AtomicInteger localLogins = new AtomicInteger();
            List<Callable<Integer>> workloads = List.of(() -> login(randomBenchUser(benchUsers)),
                    () -> login(LOCAL_USER_PREFIX + localLogins.incrementAndGet()), MysqlLoginBench::verifyHash);
            List<List<Long>> roundNanos = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            List<List<long[]>> roundLatencies = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            List<List<RoundCpu>> roundCpu = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            // a server just started runs the password grant interpreted or half compiled for a while: bring both
            // paths to steady state with logins whose hash costs next to nothing, each a user not yet cached
            AtomicInteger warmUpRows = new AtomicInteger();
            run(pool, WARMUP_LOGINS, () -> login("warm" + warmUpRows.incrementAndGet() + "@bench.dev"), new ArrayList<>(),
                    new ArrayList<>(), new ArrayList<>());
            run(pool, WARMUP_LOGINS, workloads.get(1), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (Callable<Integer> workload : workloads) {
                run(pool, WARMUP, workload, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            }
            for (int round = 0; round < ROUNDS; round++) {
                // rotate which goes first, so none always meets a warmer or quieter machine
                for (int i = 0; i < workloads.size(); i++) {
                    int workload = (round + i) % workloads.size();
                    run(pool, PER_ROUND, workloads.get(workload), roundNanos.get(workload), roundLatencies.get(workload),
                            roundCpu.get(workload));
                }
            }
            Measured federated = AlternatingLoad.measured("federated mysql-users users, bcrypt cost 10", roundNanos.get(0),
                    roundLatencies.get(0));
            Measured local = AlternatingLoad.measured("local Keycloak users, 1-iteration pbkdf2", roundNanos.get(1),
                    roundLatencies.get(1));
            Measured bound = AlternatingLoad.measured("bcrypt cost 10 verifications alone", roundNanos.get(2), roundLatencies.get(2));
            double throughputRatio = federated.medianThroughput() / bound.medianThroughput();
            // CPU per login of the servers against CPU per verification of the hash alone: the throughputs
            // of a dedicated server, without the load generator that shares these cores
            double federatedMillis = median(roundCpu.get(0), RoundCpu::serverMillis);
            double localMillis = median(roundCpu.get(1), RoundCpu::serverMillis);
            double hashMillis = median(roundCpu.get(2), RoundCpu::clientMillis);
            double ratio = hashMillis / federatedMillis;
            double ceiling = hashMillis / (hashMillis + localMillis);
            // a login that costs one bcrypt verification plus Keycloak's own work, and nothing else
            double combinedRate = 1 / (1 / bound.medianThroughput() + 1 / local.medianThroughput());
            System.out.printf(Locale.ROOT, "mysql-users login throughput, %d cores, %d threads, %d rounds x %d, %d bench rows%n"
                            + "bound (bcrypt cost 10 verifications alone): %.1f /s, %.2f ms CPU each%n"
                            + "federated password-grant logins:            %.1f /s, %.2f ms CPU each (Keycloak and MariaDB)%n"
                            + "ratio: %.1f %% of the bound in CPU per login (target %.0f %%: %s); %.1f %% in closed-loop throughput%n"
                            + "Keycloak's own share (local users, 1-iteration hash): %.1f logins/s, %.2f ms CPU each%n"
                            + "ceiling for any provider (bcrypt + Keycloak's share): %.1f %%%n",
                    Runtime.getRuntime().availableProcessors(), THREADS, ROUNDS, PER_ROUND, benchUsers,
                    bound.medianThroughput(), hashMillis, federated.medianThroughput(), federatedMillis, ratio * 100, TARGET * 100,
                    ratio >= TARGET ? "met" : "NOT met", throughputRatio * 100, local.medianThroughput(), localMillis, ceiling * 100);
            BenchResults.workload("storage-login", String.format(Locale.ROOT,
                            "password-grant logins: federated mysql-users users (%,d rows, bcrypt cost 10) vs local Keycloak users "
                                    + "(1-iteration hash)", benchUsers), Headline.THROUGHPUT)
                    .keybridge(federated)
                    .stock(local)
                    .target("issue 6", "login throughput within 90% of the bound set by the hash cost", ratio >= TARGET)
                    .note("bound: bcrypt cost 10 verifications alone, in the test JVM on %d threads, interleaved with the logins: "
                            + "%.2f ms CPU each (%.1f /s on this machine's %d cores)", THREADS, hashMillis, bound.medianThroughput(),
                            Runtime.getRuntime().availableProcessors())
                    .note("a federated login costs the servers %.2f ms CPU (Keycloak %.2f, MariaDB %.2f): a dedicated server's login "
                                    + "throughput is %.1f %% of the bound", federatedMillis,
                            median(roundCpu.get(0), r -> r.keycloakNanos() / 1e6 / r.tasks()),
                            median(roundCpu.get(0), r -> r.databaseNanos() / 1e6 / r.tasks()), ratio * 100)
                    .note("a local user's login costs Keycloak %.2f ms CPU when its hash costs nothing: no provider can get above "
                            + "%.1f %% of the bound with bcrypt cost 10; federated logins reach %.1f %% of that ceiling", localMillis,
                            ceiling * 100, ratio / ceiling * 100)
                    .note("closed-loop throughput on this machine, load generator included: federated logins %.1f /s, %.1f %% of the "
                                    + "bcrypt-alone rate; a bcrypt verification plus Keycloak's share would give %.1f /s", federated.medianThroughput(),
                            throughputRatio * 100, combinedRate)
                    .note("every login is a different user on both sides (%d local users, each once; random rows of %,d), "
                            + "so none is served from Keycloak's user cache", LOCAL_USERS, benchUsers)
                    .write();
        } finally {
            pool.shutdownNow();
            if (ownDatabase != null) {
                ownDatabase.close();
            }
        }
    }

    private static String randomBenchUser(int benchUsers) {
        return "user" + ThreadLocalRandom.current().nextInt(1, benchUsers + 1) + "@bench.dev";
    }

    /** One password grant; the status code. */
    private Integer login(String username) {
        return Http.at(realm).passwordGrant("bench-app", username, PASSWORD).status();
    }

    private static Integer verifyHash() {
        return LegacyPasswordHashes.verify(BENCH_HASH, HashAlgorithm.BCRYPT, PASSWORD) ? 200 : 401;
    }

    /**
     * Runs {@code count} tasks spread over the pool, each must answer 200; adds the round's and each task's
     * nanoseconds, and the CPU the round cost.
     */
    private static void run(ExecutorService pool, int count, Callable<Integer> task, List<Long> roundNanos,
                            List<long[]> roundLatencies, List<RoundCpu> roundCpu) throws Exception {
        ProcessCpu keycloakBefore = ProcessCpu.keycloak();
        ProcessCpu databaseBefore = ProcessCpu.database();
        long start = System.nanoTime();
        List<Future<long[]>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(pool.submit(() -> {
                long cpu = THREAD_CPU.getCurrentThreadCpuTime();
                long sent = System.nanoTime();
                assertEquals(200, task.call());
                return new long[] {System.nanoTime() - sent, THREAD_CPU.getCurrentThreadCpuTime() - cpu};
            }));
        }
        long[] latencies = new long[count];
        long clientCpu = 0;
        for (int i = 0; i < count; i++) {
            long[] result = results.get(i).get();
            latencies[i] = result[0];
            clientCpu += result[1];
        }
        roundNanos.add(System.nanoTime() - start);
        roundLatencies.add(latencies);
        roundCpu.add(new RoundCpu(count, ProcessCpu.keycloak().nanosSince(keycloakBefore),
                ProcessCpu.database().nanosSince(databaseBefore), clientCpu));
    }

    /** CPU nanoseconds of one round: the Keycloak server's, MariaDB's, and this JVM's threads' that ran the tasks. */
    private record RoundCpu(int tasks, long keycloakNanos, long databaseNanos, long clientNanos) {

        /** Milliseconds per task of the servers (Keycloak and MariaDB): what a login costs a dedicated server. */
        double serverMillis() {
            return (keycloakNanos + databaseNanos) / 1e6 / tasks;
        }

        double clientMillis() {
            return clientNanos / 1e6 / tasks;
        }
    }

    /** The median over rounds of a per-round figure. */
    private static double median(List<RoundCpu> rounds, ToDoubleFunction<RoundCpu> figure) {
        return AlternatingLoad.median(rounds.stream().mapToDouble(figure).toArray());
    }

    /** Rows warm1@bench.dev.. whose hash is an unsalted SHA-256 of the password: the warm-up's federated users. */
    private static void insertWarmUpRows(String jdbcUrl) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "root", "");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO Users (email, passwordHash, authenticationMethod, "
                     + "nickname, createdAt, updatedAt) SELECT CONCAT('warm', seq, '@bench.dev'), SHA2(?, 256), 'CREDENTIALS', "
                     + "CONCAT('Warm ', seq), NOW(), NOW() FROM seq_1_to_" + WARMUP_LOGINS)) {
            insert.setString(1, PASSWORD);
            insert.executeUpdate();
        }
    }

    private static int benchUsers(String jdbcUrl) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "root", "");
             ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM Users WHERE email LIKE 'user%@bench.dev'")) {
            rows.next();
            int count = rows.getInt(1);
            assertTrue(count > 0, "no bench rows in " + jdbcUrl);
            return count;
        }
    }
}

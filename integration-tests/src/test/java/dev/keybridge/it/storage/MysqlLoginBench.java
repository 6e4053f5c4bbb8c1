package dev.keybridge.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

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
 * same concurrency, in interleaved rounds of one run; and, to tell the provider's share from Keycloak's,
 * password grants of a local user whose hash costs nothing. Uses the 1,000,000-row database bench/storage/run.sh
 * loads (-Dkeybridge.bench.db), or a database of its own with 10,000 bench rows. Not a *Test: a normal
 * build skips it.
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
    private static final String LOCAL_USER = "local-bench";

    @InjectRealm(config = BenchRealm.class)
    ManagedRealm realm;

    private final HttpClient http = HttpClient.newHttpClient();

    public static class BenchRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId("bench-app");
            client.setPublicClient(true);
            client.setDirectAccessGrantsEnabled(true);
            // a local user whose hash costs nothing: its logins are Keycloak's own share of a password grant
            return realm.name("mysql-login-bench").clients(client).passwordPolicy("hashAlgorithm(pbkdf2-sha256) and hashIterations(1)")
                    .users(UserBuilder.create(LOCAL_USER).email(LOCAL_USER + "@bench.dev").firstName("Local").lastName("Bench")
                            .password(PASSWORD));
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
            try (Response added = realm.admin().components().add(LegacyUsersDatabase.component(
                    realm.admin().toRepresentation().getId(), "READ_ONLY", jdbcUrl, Map.of()))) {
                assertEquals(201, added.getStatus());
            }

            List<Callable<Integer>> workloads = List.of(() -> login(randomBenchUser(benchUsers)),
                    MysqlLoginBench::verifyHash, () -> login(LOCAL_USER));
            long[] nanos = new long[workloads.size()];
            for (Callable<Integer> workload : workloads) {
                run(pool, WARMUP, workload);
            }
            for (int round = 0; round < ROUNDS; round++) {
                // rotate which goes first, so none always meets a warmer or quieter machine
                for (int i = 0; i < workloads.size(); i++) {
                    int workload = (round + i) % workloads.size();
                    nanos[workload] += run(pool, PER_ROUND, workloads.get(workload));
                }
            }
            int total = ROUNDS * PER_ROUND;
            double loginRate = total / (nanos[0] / 1e9);
            double boundRate = total / (nanos[1] / 1e9);
            double keycloakRate = total / (nanos[2] / 1e9);
            // a login that costs one bcrypt verification plus Keycloak's own work, and nothing else
            double combinedRate = 1 / (1 / boundRate + 1 / keycloakRate);
            double ratio = loginRate / boundRate;
            String report = String.format("mysql-users login throughput, %d cores, %d threads, %d rounds x %d, %d bench rows%n"
                            + "bound (bcrypt cost 10 verifications alone): %.1f /s%n"
                            + "federated password-grant logins:            %.1f /s%n"
                            + "ratio: %.1f %% of the bound (target %.0f %%: %s)%n"
                            + "Keycloak's own share (local user, 1-iteration hash): %.1f logins/s%n"
                            + "bcrypt + Keycloak's share, added: %.1f /s; federated logins reach %.1f %% of that%n",
                    Runtime.getRuntime().availableProcessors(), THREADS, ROUNDS, PER_ROUND, benchUsers, boundRate, loginRate,
                    ratio * 100, TARGET * 100, ratio >= TARGET ? "met" : "NOT met", keycloakRate, combinedRate,
                    loginRate / combinedRate * 100);
            System.out.print(report);
            writeReport(report);
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
    private Integer login(String username) throws Exception {
        String form = Map.of("grant_type", "password", "client_id", "bench-app", "username", username, "password", PASSWORD)
                .entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Integer verifyHash() {
        return LegacyPasswordHashes.verify(BENCH_HASH, HashAlgorithm.BCRYPT, PASSWORD) ? 200 : 401;
    }

    /** Nanoseconds for {@code count} tasks spread over the pool; each must answer 200. */
    private static long run(ExecutorService pool, int count, Callable<Integer> task) throws Exception {
        long start = System.nanoTime();
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(pool.submit(task));
        }
        for (Future<Integer> result : results) {
            assertEquals(200, result.get());
        }
        return System.nanoTime() - start;
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

    private static void writeReport(String report) throws IOException {
        String dir = System.getProperty("keybridge.bench.results");
        if (dir != null) {
            Path file = Path.of(dir).resolve("storage-login.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, report);
        }
    }
}

package dev.keybridge.storage;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.keybridge.storage.hash.HashAlgorithm;
import dev.keybridge.storage.hash.LegacyPasswordHashes;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.UserModel;

/**
 * Times the provider's own SQL (LegacyUserTable, UserSearch, the Agroal pool) and hash check on a
 * 1,000,000-row TimeLapseMe table. Run with run.sh; not part of the Maven build.
 */
public class StorageBench {
    public static void main(String[] args) {
        ComponentModel model = new ComponentModel();
        model.put(StorageConfig.JDBC_URL, "jdbc:mariadb://127.0.0.1:3306/" + args[0]);
        model.put(StorageConfig.JDBC_USER, "root");
        StorageConfig config = StorageConfig.from(model);
        ConnectionPools pools = new ConnectionPools();
        LegacyUserTable table = new LegacyUserTable(() -> pools.database("bench", config.connection(), () -> ""), config);
        int n = 2000;
        for (int i = 0; i < 200; i++) table.findByUsername("user" + (i + 1) + "@bench.dev");
        long[] byUsername = new long[n], byEmail = new long[n], byId = new long[n];
        for (int i = 0; i < n; i++) {
            int k = ThreadLocalRandom.current().nextInt(1, 1_000_001);
            long t = System.nanoTime(); table.findByUsername("user" + k + "@bench.dev").orElseThrow(); byUsername[i] = System.nanoTime() - t;
            t = System.nanoTime(); table.findByEmail("USER" + k + "@bench.dev").orElseThrow(); byEmail[i] = System.nanoTime() - t;
            t = System.nanoTime(); table.findById(Integer.toString(k + 17)).orElseThrow(); byId[i] = System.nanoTime() - t;
        }
        report("lookup by username", byUsername);
        report("lookup by email (other case)", byEmail);
        report("lookup by id", byId);
        latencyWorkload("storage-lookup-username", "mysql-users lookup by username, 1M rows", "findByUsername", byUsername, 5);
        latencyWorkload("storage-lookup-email", "mysql-users lookup by email (other letter case), 1M rows", "findByEmail", byEmail, 5);
        long[] firstPage = new long[50], prefix = new long[50], count = new long[20];
        SqlCondition all = UserSearch.where(config, Map.of(UserModel.SEARCH, "*")).orElseThrow();
        for (int i = 0; i < firstPage.length; i++) {
            long t = System.nanoTime(); table.search(all, 0, 10); firstPage[i] = System.nanoTime() - t;
            SqlCondition p = UserSearch.where(config, Map.of(UserModel.SEARCH, "user4242")).orElseThrow();
            t = System.nanoTime(); table.search(p, 0, 10); prefix[i] = System.nanoTime() - t;
        }
        for (int i = 0; i < count.length; i++) {
            long t = System.nanoTime(); int c = table.count(all); count[i] = System.nanoTime() - t;
            if (c < 1_000_000) throw new IllegalStateException("count " + c);
        }
        report("admin search '*' first page (10)", firstPage);
        report("admin search 'user4242' first page", prefix);
        report("count '*'", count);
        latencyWorkload("storage-admin-search", "mysql-users admin search '*', first page of 10, 1M rows", "search '*' 0..10", firstPage, 100);
        String stored = table.findById("1").orElseThrow().passwordHash();
        // a login's provider share and the bcrypt verify alone, alternating, so both see the same machine
        long[] verify = new long[30], login = new long[30];
        for (int i = 0; i < login.length; i++) {
            long t = System.nanoTime(); LegacyPasswordHashes.verify(stored, null, "Moo00!_*&"); verify[i] = System.nanoTime() - t;
            t = System.nanoTime();
            LegacyUser row = table.findByUsername("user" + (i + 1) + "@bench.dev").orElseThrow();
            LegacyPasswordHashes.verify(row.passwordHash(), (HashAlgorithm) null, "Moo00!_*&");
            login[i] = System.nanoTime() - t;
        }
        report("bcrypt cost 10 verify", verify);
        report("lookup + bcrypt verify (provider share of a login)", login);
        double loginRatio = (double) median(verify) / median(login);
        results.append(tsv("storage-login-share", "workload",
                "mysql-users provider's share of a login (lookup + bcrypt), in-process without Keycloak, vs bcrypt cost 10 alone, 1M rows, one thread",
                "throughput, 1/median latency", "req/s", "higher"));
        results.append(variant("storage-login-share", "keybridge", "lookup + bcrypt verify", login, true));
        results.append(variant("storage-login-share", "stock", "bcrypt verify alone", verify, true));
        results.append(tsv("storage-login-share", "target", "issue 6", "", "no target"));
        results.append(tsv("storage-login-share", "note", String.format(java.util.Locale.ROOT,
                "the provider's part of a login only (%.1f %% of bcrypt alone); issue 6's login target is judged on storage-login, "
                        + "password grants through Keycloak", loginRatio * 100)));
        if (args.length > 1) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]), results);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        pools.closeAll();
    }

    /** Lines in bench/report's format (see dev.keybridge.it.bench.BenchResults), written to args[1]. */
    static final StringBuilder results = new StringBuilder();

    static void latencyWorkload(String id, String title, String label, long[] nanos, int targetMillis) {
        results.append(tsv(id, "workload", title, "latency, median", "ms", "lower"));
        results.append(variant(id, "keybridge", label, nanos, false));
        results.append(tsv(id, "target", "issue 6", "p50 under " + targetMillis + " ms", median(nanos) / 1e6 < targetMillis ? "met" : "not met"));
        results.append(tsv(id, "note", "provider SQL through its Agroal pool, one thread; no stock counterpart in this bench"));
    }

    static String variant(String id, String side, String label, long[] nanos, boolean throughputHeadline) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double p50 = median(s) / 1e6, p99 = s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)] / 1e6;
        double throughput = 1000 / p50;
        return tsv(id, "variant", side, label, String.format(java.util.Locale.ROOT, "%.3f", throughputHeadline ? throughput : p50),
                String.format(java.util.Locale.ROOT, "%.3f", p50), String.format(java.util.Locale.ROOT, "%.3f", p99),
                String.format(java.util.Locale.ROOT, "%.3f", throughput), Integer.toString(s.length));
    }

    static String tsv(String... fields) {
        return String.join("\t", fields) + "\n";
    }

    static long median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%-50s p50 %8.2f ms  p95 %8.2f ms  (n=%d)%n", what, s[s.length / 2] / 1e6, s[(int) (s.length * 0.95)] / 1e6, s.length);
    }
}

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
        LegacyUserTable table = new LegacyUserTable(() -> pools.dataSource("bench", config.connection(), () -> ""), config);
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
        String stored = table.findById("1").orElseThrow().passwordHash();
        long[] verify = new long[30];
        for (int i = 0; i < verify.length; i++) {
            long t = System.nanoTime(); LegacyPasswordHashes.verify(stored, null, "Moo00!_*&"); verify[i] = System.nanoTime() - t;
        }
        report("bcrypt cost 10 verify", verify);
        long[] login = new long[30];
        for (int i = 0; i < login.length; i++) {
            long t = System.nanoTime();
            LegacyUser row = table.findByUsername("user" + (i + 1) + "@bench.dev").orElseThrow();
            LegacyPasswordHashes.verify(row.passwordHash(), (HashAlgorithm) null, "Moo00!_*&");
            login[i] = System.nanoTime() - t;
        }
        report("lookup + bcrypt verify (provider share of a login)", login);
        pools.closeAll();
    }

    static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%-50s p50 %8.2f ms  p95 %8.2f ms  (n=%d)%n", what, s[s.length / 2] / 1e6, s[(int) (s.length * 0.95)] / 1e6, s.length);
    }
}

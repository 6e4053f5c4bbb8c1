package dev.keybridge.it.openk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.PartialImportRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.GroupBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.RoleBuilder;

/**
 * Latency of the first usersForRole page (max=100) at 10,000 and at 100,000 users, one in ten of them
 * holding the role through a subgroup of a group mapped to a composite containing it. Not part of the
 * normal test run (its name does not end in Test); run it with bench/run.sh.
 */
@KeycloakIntegrationTest
class OpenkUsersForRoleBench {

    static final int HOLDER_EVERY = 10;
    static final int IMPORT_BATCH = 1000;
    static final int WARMUP = 5;
    static final int SAMPLES = 50;

    @InjectRealm(config = BenchRealm.class)
    ManagedRealm realm;

    static class BenchRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm
                    .accessTokenLifespan(3600)
                    .clients(ClientBuilder.create(OpenkHttp.PORTAL_CLIENT).publicClient().directAccessGrantsEnabled())
                    .realmRoles(RoleBuilder.create("dispatcher"),
                            RoleBuilder.create("supervisor").composite(true).realmComposite("dispatcher"))
                    .groups(GroupBuilder.create("control").realmRoles("supervisor").subGroups(GroupBuilder.create("night")))
                    .users(OpenkUsersForRoleTest.user("viewer").clientRoles("realm-management", "view-users"));
        }
    }

    @Test
    void firstPageLatencyGrowsLessThanTwofoldFromTenThousandToHundredThousandUsers() throws Exception {
        importUsers(0, 10_000);
        long[] small = measure();
        importUsers(10_000, 100_000);
        long[] large = measure();

        double p50Small = percentile(small, 50);
        double p50Large = percentile(large, 50);
        System.out.printf("usersForRole first page (max=100), %d samples each:%n", SAMPLES);
        System.out.printf("   10,000 users ( 1,000 holders): p50 %.1f ms, p95 %.1f ms%n", p50Small, percentile(small, 95));
        System.out.printf("  100,000 users (10,000 holders): p50 %.1f ms, p95 %.1f ms%n", p50Large, percentile(large, 95));
        System.out.printf("  ratio p50 100k/10k: %.2f%n", p50Large / p50Small);

        assertTrue(p50Large < 50, "p50 at 100,000 users should be under 50 ms: " + p50Large);
        assertTrue(p50Large <= 2 * p50Small, "p50 at 100,000 users within 2x of 10,000: " + p50Small + " -> " + p50Large);
    }

    /** Users u000000.. in batches through the admin partial import; every tenth is in /control/night. */
    private void importUsers(int from, int to) {
        for (int start = from; start < to; start += IMPORT_BATCH) {
            List<UserRepresentation> users = new ArrayList<>();
            for (int i = start; i < Math.min(to, start + IMPORT_BATCH); i++) {
                UserRepresentation user = new UserRepresentation();
                user.setUsername(String.format("u%06d", i));
                user.setEnabled(true);
                if (i % HOLDER_EVERY == 0) {
                    user.setGroups(List.of("/control/night"));
                }
                users.add(user);
            }
            PartialImportRepresentation batch = new PartialImportRepresentation();
            batch.setIfResourceExists(PartialImportRepresentation.Policy.FAIL.name());
            batch.setUsers(users);
            try (Response response = realm.admin().partialImport(batch)) {
                assertEquals(200, response.getStatus(), "partial import of users from " + start);
            }
        }
    }

    /** Milliseconds per request, sorted; checks each page is the expected first 100 holders. */
    private long[] measure() throws Exception {
        OpenkHttp http = new OpenkHttp(realm);
        String token = http.accessToken("viewer", OpenkUsersForRoleTest.PASSWORD);
        long[] samples = new long[SAMPLES];
        for (int i = -WARMUP; i < SAMPLES; i++) {
            long started = System.nanoTime();
            HttpResponse<String> response = http.get("usersForRole/dispatcher?briefRepresentation=true&max=100", token);
            long elapsed = System.nanoTime() - started;
            assertEquals(200, response.statusCode(), response.body());
            if (i == 0) {
                var page = OpenkHttp.json(response);
                assertEquals(100, page.size());
                assertEquals("u000000", page.get(0).path("username").asText());
                assertEquals("u000990", page.get(99).path("username").asText());
            }
            if (i >= 0) {
                samples[i] = elapsed / 1_000_000;
            }
        }
        Arrays.sort(samples);
        return samples;
    }

    private static double percentile(long[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
    }
}

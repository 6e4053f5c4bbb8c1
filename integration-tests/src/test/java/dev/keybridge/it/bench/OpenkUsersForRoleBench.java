package dev.keybridge.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import dev.keybridge.it.bench.AlternatingLoad.Comparison;
import dev.keybridge.it.bench.AlternatingLoad.Variant;
import dev.keybridge.it.bench.BenchResults.Headline;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.openk.OpenkPortal;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.PartialImportRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.GroupBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.RoleBuilder;

/**
 * Latency of the first usersForRole page (max=100) at 10,000 and at 100,000 users, one in ten of them
 * holding the role through a subgroup of a group mapped to a composite containing it, against stock
 * Keycloak's direct-members endpoint in alternating rounds. Not part of the normal test run (its name
 * does not end in Test); run it with bench/run.sh.
 */
@KeycloakIntegrationTest
class OpenkUsersForRoleBench {

    static final int HOLDER_EVERY = 10;
    static final int IMPORT_BATCH = 1000;
    static final int SMALL = 10_000;
    static final int LARGE = Integer.getInteger("keybridge.bench.users", 100_000);
    static final String KEYBRIDGE_PAGE = "usersForRole/dispatcher?briefRepresentation=true&max=100";

    @InjectRealm(config = BenchRealm.class)
    ManagedRealm realm;

    static class BenchRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm
                    .accessTokenLifespan(3600)
                    .clients(OpenkPortal.client())
                    .realmRoles(RoleBuilder.create("dispatcher"),
                            RoleBuilder.create("supervisor").composite(true).realmComposite("dispatcher"))
                    .groups(GroupBuilder.create("control").realmRoles("supervisor").subGroups(GroupBuilder.create("night")))
                    .users(OpenkPortal.user("viewer").clientRoles("realm-management", "view-users", "view-realm"));
        }
    }

    @Test
    void firstPageAtTenThousandAndAtHundredThousandUsers() throws Exception {
        importUsers(0, SMALL);
        Comparison small = measure(SMALL);
        importUsers(SMALL, LARGE);
        Comparison large = measure(LARGE);

        double p50Small = small.keybridge().p50Millis();
        double p50Large = large.keybridge().p50Millis();
        results(SMALL, small)
                .target("issue 5", "first page p50 under 50 ms", p50Small < 50)
                .write();
        results(LARGE, large)
                .target("issue 5", "first page p50 under 50 ms, and within 2x of the p50 at " + SMALL + " users",
                        p50Large < 50 && p50Large <= 2 * p50Small)
                .note("p50 at %d users / p50 at %d users: %.2f", LARGE, SMALL, p50Large / p50Small)
                .write();
    }

    private static BenchResults results(int users, Comparison result) {
        return BenchResults.workload("users-for-role-" + users / 1000 + "k",
                        String.format("usersForRole first page (max=100, brief) at %,d users, %,d holders, vs stock roles/{role}/users",
                                users, users / HOLDER_EVERY), Headline.LATENCY)
                .keybridge(result.keybridge()).stock(result.stock())
                .note("holders have the role through /control/night -> supervisor (composite) -> dispatcher and also directly, "
                        + "so both endpoints answer the same users; one request at a time");
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
                    // the direct mapping is all stock roles/{role}/users can see
                    user.setRealmRoles(List.of("dispatcher"));
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

    /**
     * Alternating rounds of the first page from usersForRole and from the stock admin endpoint; checks
     * each first answer is the expected first 100 holders.
     */
    private Comparison measure(int users) throws Exception {
        Http http = Http.at(realm).resource("openk");
        String token = http.accessToken(OpenkPortal.CLIENT, "viewer", OpenkPortal.PASSWORD);
        var page = http.get(KEYBRIDGE_PAGE, token).requireOk().json();
        assertEquals(100, page.size());
        assertEquals("u000000", page.get(0).path("username").asText());
        assertEquals("u000990", page.get(99).path("username").asText());
        String stockPage = realm.getBaseUrl().replace("/realms/", "/admin/realms/")
                + "/roles/dispatcher/users?first=0&max=100&briefRepresentation=true";
        assertEquals(100, http.get(stockPage, token).requireOk().json().size(), "stock endpoint at " + users + " users");
        return AlternatingLoad.run(1,
                new Variant("openk usersForRole (effective holders)", () -> () -> {
                    http.get(KEYBRIDGE_PAGE, token).requireOk();
                }),
                new Variant("stock roles/{role}/users (direct members)", () -> () -> {
                    http.get(stockPage, token).requireOk();
                }));
    }
}

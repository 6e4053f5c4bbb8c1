package dev.keybridge.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.keybridge.it.harness.Http;
import dev.keybridge.it.openk.OpenkPortal;
import dev.keybridge.it.openk.OpenkUserModulesTest;
import dev.keybridge.it.openk.OpenkUsersForRoleTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.UserSessionRepresentation;

/** openK's session check, module list and role membership answered by either node. */
@Tag("cluster")
@Order(2)
@ExtendWith(ClusterExtension.class)
class ClusterOpenkTest {

    private static final String MODULES_REALM = "cluster-openk-modules";
    private static final String USERS_REALM = "cluster-openk-users";
    private static KeycloakCluster cluster;

    @BeforeAll
    static void realms(KeycloakCluster started) {
        cluster = started;
        cluster.createRealm(MODULES_REALM, new OpenkUserModulesTest.ModulesRealm());
        cluster.createRealm(USERS_REALM, new OpenkUsersForRoleTest.UsersRealm());
    }

    private static Http openk(ClusterNode node, String realm) {
        return Http.at(node.realmUrl(realm)).resource("openk");
    }

    private static UserResource user(ClusterNode node, String realm, String username) {
        RealmResource admin = node.admin().realm(realm);
        return admin.users().get(admin.users().search(username, true).get(0).getId());
    }

    private static long lastAccess(ClusterNode node, String username) {
        List<UserSessionRepresentation> sessions = user(node, MODULES_REALM, username).getUserSessions();
        assertEquals(1, sessions.size(), () -> "sessions of " + username + " seen from " + node + ": " + sessions);
        return sessions.get(0).getLastAccess();
    }

    @Test
    void checkAuthOnOneNodeMovesTheIdleTimeTheOtherNodeShows() throws Exception {
        String token = openk(cluster.a(), MODULES_REALM).accessToken(OpenkPortal.CLIENT, "nina", OpenkPortal.PASSWORD);
        // each way round: the check on one node, the admin API's session view on the other
        for (ClusterNode checked : cluster.nodes()) {
            ClusterNode other = checked == cluster.a() ? cluster.b() : cluster.a();
            long before = lastAccess(other, "nina");
            Thread.sleep(2100); // the session keeps whole seconds

            Http.Response check = openk(checked, MODULES_REALM).get("checkAuth", token);

            assertEquals(200, check.status(), check.body());
            long after = lastAccess(other, "nina");
            assertTrue(after >= before + 2000, "checkAuth on " + checked + " should move the last access " + other
                    + " shows by the 2 s waited: " + before + " -> " + after);
        }
    }

    @Test
    void userModulesAreTheSameOnBothNodesAndFollowARoleGrantMadeOnEither() throws Exception {
        assertEquals(List.of("mod-planning", "Dispatch"), moduleNamesOnBothNodes("cora"));
        assertEquals(List.of(), moduleNamesOnBothNodes("nina"));

        UserResource nina = user(cluster.a(), MODULES_REALM, "nina");
        nina.roles().realmLevel().add(List.of(cluster.a().admin().realm(MODULES_REALM).roles().get("archivist").toRepresentation()));

        assertEquals(List.of("Archive"), moduleNamesOnBothNodes("nina"));
    }

    @Test
    void usersForRoleIsTheSameOnBothNodesAndFollowsARoleGrantMadeOnEither() throws Exception {
        List<String> dispatchers = List.of("anna", "bert", "carl", "dora", "finn", "hugo");
        assertEquals(dispatchers, dispatchersOnBothNodes());

        UserResource nobody = user(cluster.b(), USERS_REALM, "nobody");
        nobody.roles().realmLevel().add(List.of(cluster.b().admin().realm(USERS_REALM).roles().get("dispatcher").toRepresentation()));

        assertEquals(List.of("anna", "bert", "carl", "dora", "finn", "hugo", "nobody"), dispatchersOnBothNodes());
    }

    /** The module names a fresh token of the user gets from each node; fails unless both nodes agree. */
    private static List<String> moduleNamesOnBothNodes(String username) throws Exception {
        String token = openk(cluster.b(), MODULES_REALM).accessToken(OpenkPortal.CLIENT, username, OpenkPortal.PASSWORD);
        return sameOnBothNodes(MODULES_REALM, "userModulesForUser", token, "name");
    }

    private static List<String> dispatchersOnBothNodes() throws Exception {
        String token = openk(cluster.a(), USERS_REALM).accessToken(OpenkPortal.CLIENT, "viewer", OpenkPortal.PASSWORD);
        return sameOnBothNodes(USERS_REALM, "usersForRole/dispatcher", token, "username");
    }

    private static List<String> sameOnBothNodes(String realm, String path, String token, String field) throws Exception {
        List<String> onA = openk(cluster.a(), realm).get(path, token).fieldOfEach(field);
        List<String> onB = openk(cluster.b(), realm).get(path, token).fieldOfEach(field);
        assertEquals(onA, onB, path + ": node A and node B disagree");
        return onA;
    }
}

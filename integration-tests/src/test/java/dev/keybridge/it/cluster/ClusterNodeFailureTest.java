package dev.keybridge.it.cluster;

import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.LEEWAY_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import dev.keybridge.it.harness.Http;
import dev.keybridge.it.refresh.RotatingRefreshTokenRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;

/**
 * A node dies (kill -9) in the middle of a refresh chain, then comes back; finally the whole cluster
 * restarts. Runs last: it takes nodes down.
 */
@Tag("cluster")
@Order(3)
@ExtendWith(ClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterNodeFailureTest {

    private static final String REALM = "cluster-failure";
    private static KeycloakCluster cluster;
    /** The chain that lives through the kill and the restart of node A. */
    private static Http.Response root;
    private static Http.Response newest;

    @BeforeAll
    static void realm(KeycloakCluster started) {
        cluster = started;
        cluster.createRealm(REALM, new RotatingRefreshTokenRealm());
    }

    @Test
    @Order(1)
    void killedNodeMidChainTheChainGoesOnOnTheOtherWithTheSameSession() throws Exception {
        root = RefreshChecks.login(cluster.a(), REALM, LEEWAY_APP);
        Http.Response current = RefreshChecks.rotates(cluster.a(), REALM, LEEWAY_APP, root);
        current = RefreshChecks.rotates(cluster.b(), REALM, LEEWAY_APP, current);
        current = RefreshChecks.rotates(cluster.a(), REALM, LEEWAY_APP, current);

        cluster.a().kill();

        for (int i = 0; i < 3; i++) {
            current = RefreshChecks.rotates(cluster.b(), REALM, LEEWAY_APP, current);
        }
        assertEquals(6, RefreshChecks.generation(current));
        assertEquals(200, Http.session(cluster.b().realmUrl(REALM)).userInfoStatus(current.accessToken()));
        assertEquals(List.of(root.sessionId()), sessionIds(cluster.b()), "node B still has exactly the login's session");
        newest = current;
    }

    @Test
    @Order(2)
    void restartedNodeJoinsWithTheSessionAndContinuesTheChain() throws Exception {
        cluster.startNodes(List.of(cluster.a()));
        assertEquals(List.of(root.sessionId()), sessionIds(cluster.a()), "node A after its restart");

        newest = RefreshChecks.rotates(cluster.a(), REALM, LEEWAY_APP, newest);
        newest = RefreshChecks.rotates(cluster.b(), REALM, LEEWAY_APP, newest);
        assertEquals(8, RefreshChecks.generation(newest));
    }

    @Test
    @Order(3)
    void wholeClusterRestartedSessionAndRotationStateComeBackFromTheDatabase() throws Exception {
        for (ClusterNode node : cluster.nodes()) {
            node.stop();
        }
        cluster.startNodes(cluster.nodes());

        assertEquals(List.of(root.sessionId()), sessionIds(cluster.b()), "node B after the restart");
        Http.Response afterRestart = RefreshChecks.rotates(cluster.b(), REALM, LEEWAY_APP, newest);
        assertEquals(9, RefreshChecks.generation(afterRestart));

        // the chain state survived too: the root token is recognised as an old generation, not a new chain
        RefreshChecks.assertReuseRejected(Http.session(cluster.a().realmUrl(REALM)).refresh(LEEWAY_APP, root.refreshToken()));
        for (ClusterNode node : cluster.nodes()) {
            RefreshChecks.assertDead(node, REALM, LEEWAY_APP, afterRestart);
        }
        assertFalse(sessionIds(cluster.a()).contains(root.sessionId()));
    }

    private static List<String> sessionIds(ClusterNode node) {
        RealmResource realm = node.admin().realm(REALM);
        String userId = realm.users().search(USER, true).get(0).getId();
        return realm.users().get(userId).getUserSessions().stream().map(s -> s.getId()).toList();
    }
}

package dev.keybridge.it.cluster;

import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.LEEWAY_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.LEEWAY_WEB;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.PARALLEL_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.PASSWORD;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.STRICT_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import dev.keybridge.it.refresh.RotatingRefreshTokenRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rotating-refresh-token policy with the refreshes of one login spread over two nodes. */
@Tag("cluster")
@Order(1)
@ExtendWith(ClusterExtension.class)
class ClusterRefreshTest {

    private static final String REALM = "cluster-refresh";
    private static KeycloakCluster cluster;

    @BeforeAll
    static void realm(KeycloakCluster started) {
        cluster = started;
        cluster.createRealm(REALM, new RotatingRefreshTokenRealm());
    }

    @Test
    void chainAlternatingBetweenNodesRotatesAsOneChainInOneSession() {
        Http.Response current = RefreshChecks.login(cluster.a(), REALM, LEEWAY_APP);
        Set<String> seen = new HashSet<>(Set.of(current.refreshToken()));
        for (int i = 0; i < 10; i++) {
            ClusterNode node = i % 2 == 0 ? cluster.b() : cluster.a();
            Http.Response next = RefreshChecks.refreshOk(node, REALM, LEEWAY_APP, current.refreshToken());
            assertTrue(seen.add(next.refreshToken()), "refresh " + i + " on " + node + " returned a token already seen");
            assertEquals(current.sessionId(), next.sessionId(), "refresh " + i + " on " + node);
            assertEquals(i + 1, Jwt.claims(next.refreshToken()).path("kb_rrt_gen").asInt(), "generation after refresh " + i + " on " + node);
            current = next;
        }
        for (ClusterNode node : cluster.nodes()) {
            Http oidc = Http.session(node.realmUrl(REALM));
            assertEquals(200, oidc.userInfoStatus(current.accessToken()), "userinfo on " + node);
            assertTrue(oidc.introspectionActive(LEEWAY_APP, current.accessToken()), "introspection on " + node);
        }
    }

    @Test
    void reuseOnTheOtherNodeRevokesTheWholeFamilyOnBothNodes() {
        // one browser login (SSO) of two clients on node A
        Http browser = Http.session(cluster.a().realmUrl(REALM));
        Http.Response app = browser.browserLogin(LEEWAY_APP, USER, PASSWORD);
        Http.Response web = browser.browserLogin(LEEWAY_WEB, USER, PASSWORD);
        assertEquals(200, app.status(), () -> app.body().toString());
        assertEquals(200, web.status(), () -> web.body().toString());
        assertEquals(app.sessionId(), web.sessionId(), "both clients should share one login");

        Http.Response first = RefreshChecks.refreshOk(cluster.a(), REALM, LEEWAY_APP, app.refreshToken());
        Http.Response second = RefreshChecks.refreshOk(cluster.b(), REALM, LEEWAY_APP, first.refreshToken());

        // the root token, two generations old, presented to node B: a breach even inside the reuse interval
        RefreshChecks.assertReuseRejected(Http.session(cluster.b().realmUrl(REALM)).refresh(LEEWAY_APP, app.refreshToken()));

        for (ClusterNode node : cluster.nodes()) {
            RefreshChecks.assertDead(node, REALM, LEEWAY_APP, second);
            RefreshChecks.assertDead(node, REALM, LEEWAY_WEB, web);
        }
    }

    @Test
    void previousTokenInsideTheIntervalOnTheOtherNodeGetsASiblingOfTheSameChain() {
        Http.Response root = RefreshChecks.login(cluster.a(), REALM, PARALLEL_APP);
        Http.Response first = RefreshChecks.refreshOk(cluster.a(), REALM, PARALLEL_APP, root.refreshToken());
        Http.Response sibling = RefreshChecks.refreshOk(cluster.b(), REALM, PARALLEL_APP, root.refreshToken());

        assertEquals(root.sessionId(), sibling.sessionId());
        assertNotEquals(first.refreshToken(), sibling.refreshToken());
        assertEquals(1, Jwt.claims(sibling.refreshToken()).path("kb_rrt_gen").asInt(), "node B saw node A's rotation");
        RefreshChecks.refreshOk(cluster.a(), REALM, PARALLEL_APP, sibling.refreshToken());
    }

    @Test
    void replayOnTheOtherNodeRightAfterTheRotationIsABreachWithoutInterval() {
        Http.Response root = RefreshChecks.login(cluster.b(), REALM, STRICT_APP);
        Http.Response rotated = RefreshChecks.refreshOk(cluster.b(), REALM, STRICT_APP, root.refreshToken());

        RefreshChecks.assertReuseRejected(Http.session(cluster.a().realmUrl(REALM)).refresh(STRICT_APP, root.refreshToken()));

        for (ClusterNode node : cluster.nodes()) {
            RefreshChecks.assertDead(node, REALM, STRICT_APP, rotated);
        }
    }
}

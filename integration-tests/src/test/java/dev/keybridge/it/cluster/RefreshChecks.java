package dev.keybridge.it.cluster;

import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.PASSWORD;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;

/** Token requests to a chosen node, and what a live or revoked token family looks like there. */
final class RefreshChecks {

    private RefreshChecks() {
    }

    static Http.Response login(ClusterNode node, String realm, Http.Client client) {
        Http.Response login = Http.session(node.realmUrl(realm)).passwordGrant(client, USER, PASSWORD, "openid");
        assertEquals(200, login.status(), () -> "login on " + node + " failed: " + login.body());
        return login;
    }

    static Http.Response refreshOk(ClusterNode node, String realm, Http.Client client, String refreshToken) {
        Http.Response response = Http.session(node.realmUrl(realm)).refresh(client, refreshToken);
        assertEquals(200, response.status(), () -> "refresh on " + node + " should succeed: " + response.body());
        return response;
    }

    static void assertReuseRejected(Http.Response response) {
        assertEquals(400, response.status(), () -> "reuse should be refused: " + response.body());
        assertEquals("invalid_grant", response.error());
        assertTrue(response.errorDescription().contains("reuse detected"), response.errorDescription());
    }

    /** The family is revoked as seen from this node: refresh, userinfo and introspection all fail. */
    static void assertDead(ClusterNode node, String realm, Http.Client client, Http.Response tokens) {
        Http oidc = Http.session(node.realmUrl(realm));
        Http.Response refresh = oidc.refresh(client, tokens.refreshToken());
        assertEquals(400, refresh.status(), () -> client.clientId() + " refresh token should be revoked on " + node + ": " + refresh.body());
        assertEquals("invalid_grant", refresh.error());
        assertEquals(401, oidc.userInfoStatus(tokens.accessToken()), client.clientId() + " access token should fail userinfo on " + node);
        assertFalse(oidc.introspectionActive(client, tokens.accessToken()), client.clientId() + " access token should be inactive on " + node);
    }

    /** The chain goes on: this node rotates the token into the next generation of the same session. */
    static Http.Response rotates(ClusterNode node, String realm, Http.Client client, Http.Response current) {
        Http.Response next = refreshOk(node, realm, client, current.refreshToken());
        assertEquals(current.sessionId(), next.sessionId(), "same session on " + node);
        assertEquals(generation(current) + 1, generation(next), "next generation on " + node);
        return next;
    }

    static int generation(Http.Response tokens) {
        return Jwt.claims(tokens.refreshToken()).path("kb_rrt_gen").asInt();
    }
}

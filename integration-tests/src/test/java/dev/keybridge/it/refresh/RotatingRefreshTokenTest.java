package dev.keybridge.it.refresh;

import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.CLIENT_SCOPED_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.LEEWAY_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.LEEWAY_SECONDS;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.LEEWAY_WEB;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.LIFETIME_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.NO_ROTATION_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.PARALLEL_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.PASSWORD;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.STOCK_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.STRICT_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

@KeycloakIntegrationTest
class RotatingRefreshTokenTest {

    private static final int PARALLEL = 20;
    private static final int LOGOUT_RACE_ROUNDS = 10;

    @InjectRealm(config = RotatingRefreshTokenRealm.class)
    ManagedRealm realm;

    private Http oidc() {
        return Http.session(realm.getBaseUrl());
    }

    private Http.Response login(Http oidc, Http.Client client) {
        Http.Response login = oidc.passwordGrant(client, USER, PASSWORD, "openid");
        assertEquals(200, login.status(), () -> "login failed: " + login.body());
        return login;
    }

    private static Http.Response refreshOk(Http oidc, Http.Client client, String refreshToken) {
        Http.Response response = oidc.refresh(client, refreshToken);
        assertEquals(200, response.status(), () -> "refresh should succeed: " + response.body());
        return response;
    }

    private static void assertReuseRejected(Http.Response response) {
        assertEquals(400, response.status(), () -> "reuse should be refused: " + response.body());
        assertEquals("invalid_grant", response.error());
        assertTrue(response.errorDescription().contains("reuse detected"), response.errorDescription());
    }

    private static void assertDead(Http oidc, Http.Client client, Http.Response tokens) {
        Http.Response refresh = oidc.refresh(client, tokens.refreshToken());
        assertEquals(400, refresh.status(), () -> client.clientId() + " refresh token should be revoked: " + refresh.body());
        assertEquals("invalid_grant", refresh.error());
        assertEquals(401, oidc.userInfoStatus(tokens.accessToken()), client.clientId() + " access token should fail userinfo");
        assertFalse(oidc.introspectionActive(client, tokens.accessToken()), client.clientId() + " access token should be inactive");
    }

    @Test
    void chainOf50RefreshesRotatesEveryTokenAndStaysOneSession() {
        Http oidc = oidc();
        Http.Response current = login(oidc, LEEWAY_APP);
        Set<String> seen = new HashSet<>(Set.of(current.refreshToken()));
        long started = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            Http.Response next = refreshOk(oidc, LEEWAY_APP, current.refreshToken());
            assertTrue(seen.add(next.refreshToken()), "refresh " + i + " returned a token already seen");
            assertEquals(current.sessionId(), next.sessionId());
            assertEquals(i + 1, Jwt.claims(next.refreshToken()).path("kb_rrt_gen").asInt());
            current = next;
        }
        System.out.printf("rotating-refresh-token: 50 sequential refreshes, %.1f ms each%n", (System.nanoTime() - started) / 50 / 1e6);
        assertEquals(200, oidc.userInfoStatus(current.accessToken()));
        assertTrue(oidc.introspectionActive(LEEWAY_APP, current.accessToken()));
    }

    @Test
    void previousTokenInsideIntervalGetsATokenOfTheSameFamily() {
        Http oidc = oidc();
        Http.Response root = login(oidc, LEEWAY_APP);
        Http.Response first = refreshOk(oidc, LEEWAY_APP, root.refreshToken());
        Http.Response retry = refreshOk(oidc, LEEWAY_APP, root.refreshToken());

        assertEquals(root.sessionId(), retry.sessionId());
        assertNotEquals(first.refreshToken(), retry.refreshToken());
        // both answers are live: whichever the app kept continues the chain
        Http.Response continued = refreshOk(oidc, LEEWAY_APP, retry.refreshToken());
        assertEquals(200, oidc.userInfoStatus(continued.accessToken()));
        assertEquals(200, oidc.userInfoStatus(first.accessToken()));
    }

    @Test
    void previousTokenAfterIntervalRevokesTheLoginAcrossClientsAndIsRecorded() throws Exception {
        Http browser = oidc();
        Http.Response app = browser.browserLogin(LEEWAY_APP, USER, PASSWORD);
        Http.Response web = browser.browserLogin(LEEWAY_WEB, USER, PASSWORD);
        assertEquals(200, app.status(), () -> app.body().toString());
        assertEquals(200, web.status(), () -> web.body().toString());
        assertEquals(app.sessionId(), web.sessionId(), "both clients should share one login");

        Http.Response rotated = refreshOk(browser, LEEWAY_APP, app.refreshToken());
        Thread.sleep((LEEWAY_SECONDS + 1) * 1000L);
        Http.Response breach = browser.refresh(LEEWAY_APP, app.refreshToken());
        assertReuseRejected(breach);
        assertTrue(breach.errorDescription().contains("offline tokens of the login are separate and stay valid"),
                breach.errorDescription());

        assertDead(browser, LEEWAY_APP, rotated);
        assertDead(browser, LEEWAY_WEB, web);

        EventRepresentation event = reuseEvent(LEEWAY_APP, app.sessionId());
        assertEquals("invalid_grant", event.getError());
        assertEquals("true", event.getDetails().get("family_revoked"));
        assertEquals("previous_after_interval", event.getDetails().get("reuse"));
        assertEquals(realm.admin().users().search(USER).get(0).getId(), event.getUserId());
    }

    @Test
    void olderTokenIsABreachEvenInsideTheInterval() {
        Http oidc = oidc();
        Http.Response root = login(oidc, LEEWAY_APP);
        Http.Response first = refreshOk(oidc, LEEWAY_APP, root.refreshToken());
        Http.Response second = refreshOk(oidc, LEEWAY_APP, first.refreshToken());

        assertReuseRejected(oidc.refresh(LEEWAY_APP, root.refreshToken()));
        assertDead(oidc, LEEWAY_APP, second);
        assertEquals("older", reuseEvent(LEEWAY_APP, root.sessionId()).getDetails().get("reuse"));
    }

    @Test
    void replayInTheSameSecondAsTheRotationIsCaught() {
        Http oidc = oidc();
        Http.Response root = login(oidc, STRICT_APP);
        Http.Response rotated = refreshOk(oidc, STRICT_APP, root.refreshToken());
        Http.Response replay = oidc.refresh(STRICT_APP, root.refreshToken());

        assertReuseRejected(replay);
        assertDead(oidc, STRICT_APP, rotated);
    }

    @Test
    void parallelRefreshesInsideTheIntervalAllSucceedAsOneChain() throws Exception {
        Http oidc = oidc();
        Http.Response root = login(oidc, PARALLEL_APP);
        List<Http.Response> answers = refreshInParallel(oidc, PARALLEL_APP, root.refreshToken());

        for (Http.Response answer : answers) {
            assertEquals(200, answer.status(), () -> "every parallel refresh inside the interval should succeed: " + answer.body());
            assertEquals(root.sessionId(), answer.sessionId());
            assertEquals(1, Jwt.claims(answer.refreshToken()).path("kb_rrt_gen").asInt(), "siblings share one generation");
        }
        // no fork: once the chain moved on twice, a sibling the app dropped is an old token
        Http.Response kept = answers.get(0);
        Http.Response next = refreshOk(oidc, PARALLEL_APP, kept.refreshToken());
        refreshOk(oidc, PARALLEL_APP, next.refreshToken());
        assertReuseRejected(oidc.refresh(PARALLEL_APP, answers.get(1).refreshToken()));
    }

    @Test
    void parallelRefreshesWithoutIntervalLetExactlyOneThroughThenRevoke() throws Exception {
        Http oidc = oidc();
        Http.Response root = login(oidc, STRICT_APP);
        List<Http.Response> answers = refreshInParallel(oidc, STRICT_APP, root.refreshToken());

        List<Http.Response> winners = answers.stream().filter(a -> a.status() == 200).toList();
        assertEquals(1, winners.size(), () -> "exactly one refresh may win: " + answers.stream().map(Http.Response::body).toList());
        answers.stream().filter(a -> a.status() != 200).forEach(a -> {
            assertEquals(400, a.status(), () -> a.body().toString());
            assertEquals("invalid_grant", a.error());
        });
        assertDead(oidc, STRICT_APP, winners.get(0));
    }

    /** The race window is a few milliseconds wide: several rounds make a lost ordering show. */
    @Test
    void refreshesRacingALogoutLeaveNoLiveToken() throws Exception {
        Http oidc = oidc();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < LOGOUT_RACE_ROUNDS; round++) {
                Http.Response root = login(oidc, PARALLEL_APP);
                Future<Integer> logout = pool.submit(() -> oidc.logout(PARALLEL_APP, root.refreshToken()));
                List<Http.Response> answers = refreshInParallel(oidc, PARALLEL_APP, root.refreshToken());
                assertEquals(204, logout.get());
                for (Http.Response answer : answers) {
                    assertTrue(answer.status() == 200 || "invalid_grant".equals(answer.error()), () -> answer.body().toString());
                    if (answer.status() == 200) {
                        assertDead(oidc, PARALLEL_APP, answer);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void absoluteLifetimeEndsTheFamilyWhateverTheRefreshes() throws Exception {
        Http oidc = oidc();
        long start = System.currentTimeMillis();
        Http.Response current = login(oidc, LIFETIME_APP);
        long rootExpiry = Jwt.claims(current.refreshToken()).path("iat").asLong() + RotatingRefreshTokenRealm.ABSOLUTE_SECONDS;
        while (System.currentTimeMillis() - start < (RotatingRefreshTokenRealm.ABSOLUTE_SECONDS + 1) * 1000L) {
            Thread.sleep(1500);
            Http.Response next = oidc.refresh(LIFETIME_APP, current.refreshToken());
            if (next.status() != 200) {
                assertFamilyExpired(next);
                assertTrue(System.currentTimeMillis() / 1000 >= rootExpiry, "family ended before its absolute lifetime");
                return;
            }
            assertTrue(Jwt.claims(next.refreshToken()).path("exp").asLong() <= rootExpiry,
                    "a refreshed token must not outlive the family");
            current = next;
        }
        throw new AssertionError("the family outlived its absolute lifetime of " + RotatingRefreshTokenRealm.ABSOLUTE_SECONDS + " s");
    }

    @Test
    void idleLifetimeEndsAFamilyThatIsNotRefreshed() throws Exception {
        Http oidc = oidc();
        Http.Response root = login(oidc, LIFETIME_APP);
        Http.Response refreshed = refreshOk(oidc, LIFETIME_APP, root.refreshToken());
        Thread.sleep((RotatingRefreshTokenRealm.IDLE_SECONDS + 1) * 1000L);

        Http.Response late = oidc.refresh(LIFETIME_APP, refreshed.refreshToken());
        assertFamilyExpired(late);
    }

    /** Every generation of an expired chain gets the chain's answer, not Keycloak's "Token is not active". */
    private static void assertFamilyExpired(Http.Response response) {
        assertEquals(400, response.status(), () -> response.body().toString());
        assertEquals("invalid_grant", response.error());
        assertTrue(response.errorDescription().startsWith("Refresh token family expired"), response.errorDescription());
    }

    @Test
    void clientScopedBreachKeepsTheOtherClientsOfTheLogin() {
        Http browser = oidc();
        Http.Response scoped = browser.browserLogin(CLIENT_SCOPED_APP, USER, PASSWORD);
        Http.Response other = browser.browserLogin(LEEWAY_WEB, USER, PASSWORD);
        assertEquals(scoped.sessionId(), other.sessionId());

        Http.Response rotated = refreshOk(browser, CLIENT_SCOPED_APP, scoped.refreshToken());
        assertReuseRejected(browser.refresh(CLIENT_SCOPED_APP, scoped.refreshToken()));
        assertEquals(400, browser.refresh(CLIENT_SCOPED_APP, rotated.refreshToken()).status());
        refreshOk(browser, LEEWAY_WEB, other.refreshToken());
        assertEquals("false", reuseEvent(CLIENT_SCOPED_APP, scoped.sessionId()).getDetails().get("family_revoked"));
    }

    @Test
    void offlineTokenReuseRevokesTheOfflineSession() {
        Http oidc = oidc();
        Http.Response root = oidc.passwordGrant(STRICT_APP, USER, PASSWORD, "openid offline_access");
        assertEquals(200, root.status(), () -> root.body().toString());
        assertEquals("Offline", Jwt.claims(root.refreshToken()).path("typ").asText());

        Http.Response rotated = refreshOk(oidc, STRICT_APP, root.refreshToken());
        assertEquals("Offline", Jwt.claims(rotated.refreshToken()).path("typ").asText());
        Http.Response breach = oidc.refresh(STRICT_APP, root.refreshToken());
        assertReuseRejected(breach);
        assertTrue(breach.errorDescription().endsWith("this offline session has been revoked for every client"),
                breach.errorDescription());

        Http.Response afterBreach = oidc.refresh(STRICT_APP, rotated.refreshToken());
        assertEquals(400, afterBreach.status(), () -> afterBreach.body().toString());
        assertFalse(oidc.introspectionActive(STRICT_APP, rotated.accessToken()));
    }

    @Test
    void withoutRotationTheClientKeepsItsRefreshToken() {
        Http oidc = oidc();
        Http.Response root = login(oidc, NO_ROTATION_APP);
        for (int i = 0; i < 3; i++) {
            Http.Response refreshed = refreshOk(oidc, NO_ROTATION_APP, root.refreshToken());
            assertNull(refreshed.refreshToken(), "no new refresh token when rotation is off");
            assertEquals(200, oidc.userInfoStatus(refreshed.accessToken()));
        }
    }

    @Test
    void clientOutsideThePolicyKeepsStockBehaviour() {
        Http oidc = oidc();
        Http.Response root = login(oidc, STOCK_APP);
        Http.Response first = refreshOk(oidc, STOCK_APP, root.refreshToken());
        // the realm does not revoke refresh tokens, so stock Keycloak accepts the old one again
        Http.Response again = refreshOk(oidc, STOCK_APP, root.refreshToken());
        assertTrue(Jwt.claims(first.refreshToken()).path("kb_rrt_gen").isMissingNode());
        assertEquals(200, oidc.userInfoStatus(again.accessToken()));
    }

    private static List<Http.Response> refreshInParallel(Http oidc, Http.Client client, String refreshToken)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Http.Response>> futures = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return oidc.refresh(client, refreshToken);
                }));
            }
            start.countDown();
            List<Http.Response> answers = new ArrayList<>();
            for (Future<Http.Response> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The policy's own REFRESH_TOKEN_ERROR, read back through the admin events API. */
    private EventRepresentation reuseEvent(Http.Client client, String sessionId) {
        List<EventRepresentation> events = realm.admin().getEvents(List.of("REFRESH_TOKEN_ERROR"), client.clientId(),
                null, null, null, null, 0, 100);
        return events.stream()
                .filter(e -> sessionId.equals(e.getSessionId()))
                .filter(e -> "refresh_token_reuse".equals(detail(e, "reason")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no refresh_token_reuse event for session " + sessionId + " in "
                        + events.stream().map(EventRepresentation::getDetails).toList()));
    }

    private static String detail(EventRepresentation event, String key) {
        Map<String, String> details = event.getDetails();
        return details == null ? null : details.get(key);
    }
}

package dev.keybridge.it.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.compat.CompatRealms;
import dev.keybridge.it.compat.watcherex.WatcherExTest;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.RoleBuilder;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * The authorization cases of the hostile corpus for the token-issuing compatibility routes (openK, ErtisAuth, TimeLapseMe,
 * WatcherEx): each route keeps the guards of Keycloak's token endpoint and bearer authentication. A confidential client
 * the route acts for must present its credentials; a disabled realm, client or user, a revoked session and another
 * client's token are refused in the API's own error shape, and no refused request leaves a user or a token behind.
 */
@KeycloakIntegrationTest
class RouteGuardsTest {

    static final String PASSWORD = "Guards-pw-0001";
    static final String ALICE = "alice";
    static final String WX_SECRET = "wx-secret";
    static final String ROUTE_SECRET = "route-secret";
    static final String INTRUDER = "intruder";
    static final String INTRUDER_SECRET = "intruder-secret";
    static final String WATCHEREX_TOKEN = "watcherex/" + WatcherExTest.TOKEN;

    @InjectRealm(config = GuardsRealm.class)
    ManagedRealm realm;

    /** Every route's client public, as the originals' clients sent no secret; WatcherEx's by secret or signed JWT. */
    static class GuardsRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return CompatRealms.timeLapseMeProfile(CompatRealms.withoutVerifyProfile(realm)).revokeRefreshToken(true).refreshTokenMaxReuse(0)
                    .registrationAllowed(true)
                    .realmRoles(RoleBuilder.create("watcherex-admin"))
                    .clients(ClientBuilder.create("openk-portal").publicClient().directAccessGrantsEnabled(),
                            ClientBuilder.create("ertis").publicClient().directAccessGrantsEnabled(),
                            ClientBuilder.create("timelapseme").publicClient().directAccessGrantsEnabled(),
                            ClientBuilder.create("watcherex").secret(WX_SECRET).directAccessGrantsEnabled(),
                            ClientBuilder.create("wx-signed").authenticatorType("client-jwt").directAccessGrantsEnabled()
                                    .attribute("use.jwks.string", "true")
                                    .attribute("jwks.string", WatcherExTest.jwks((RSAPublicKey) WatcherExTest.ASSERTION_KEY.getPublic())))
                    .users(UserBuilder.create(ALICE).password(PASSWORD).email("alice@example.org").emailVerified(true)
                            .realmRoles("watcherex-admin"));
        }
    }

    @InjectRealm(ref = "confidential", config = ConfidentialRealm.class)
    ManagedRealm confidential;

    /** The routes' clients confidential, and another confidential client whose credentials must not serve them. */
    static class ConfidentialRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return CompatRealms.withoutVerifyProfile(realm).revokeRefreshToken(true).refreshTokenMaxReuse(0)
                    .clients(ClientBuilder.create("openk-portal").secret(ROUTE_SECRET).directAccessGrantsEnabled(),
                            ClientBuilder.create("ertis").secret(ROUTE_SECRET).directAccessGrantsEnabled(),
                            ClientBuilder.create("timelapseme").secret(ROUTE_SECRET).directAccessGrantsEnabled(),
                            ClientBuilder.create(INTRUDER).secret(INTRUDER_SECRET).directAccessGrantsEnabled())
                    .users(UserBuilder.create(ALICE).password(PASSWORD).email("alice@example.org").emailVerified(true));
        }
    }

    /** One request to a route and the error shape its refusals must have. */
    record Call(String name, String method, String path, String body, Map<String, String> headers, ErrorShape shape) {
    }

    // ---- item 2: the client a route acts for is authenticated as at the token endpoint

    @Test
    void confidentialClientOfARouteMustPresentItsOwnCredentials() throws Exception {
        String intruder = basic(INTRUDER + ":" + INTRUDER_SECRET);
        Map<String, Call> logins = new LinkedHashMap<>();
        logins.put("openk-portal", openkLogin(Map.of()));
        logins.put("ertis", ertisLogin(confidential, Map.of()));
        logins.put("timelapseme", timeLapseMeLogin(Map.of()));
        Map<String, JsonNode> issued = new LinkedHashMap<>();
        for (Map.Entry<String, Call> login : logins.entrySet()) {
            Call call = login.getValue();
            assertRefused(confidential, call);
            assertRefused(confidential, with(call, "Authorization", intruder));
            assertRefused(confidential, with(call, "Authorization", basic(login.getKey() + ":wrong-secret")));
            Http.Response granted = send(confidential, with(call, "Authorization", basic(login.getKey() + ":" + ROUTE_SECRET)));
            assertTrue(granted.status() / 100 == 2, call.name() + " with the client's own secret: " + granted.body());
            JsonNode tokens = granted.json();
            String access = tokens.has("access_token") ? tokens.path("access_token").asText() : tokens.path("accessToken").asText();
            assertEquals(login.getKey(), Jwt.claims(access).path("azp").asText());
            issued.put(login.getKey(), tokens);
        }

        String ertisRefresh = issued.get("ertis").path("refresh_token").asText();
        Call ertisRefreshCall = new Call("ErtisAuth refresh-token", "POST", "ertis/api/v1/refresh-token",
                Http.toJson(Map.of("token", ertisRefresh)), Map.of("Content-Type", "application/json"), ErrorShape.ERTIS);
        assertRefused(confidential, ertisRefreshCall);
        assertRefused(confidential, with(ertisRefreshCall, "Authorization", intruder));
        Http.Response ertisRefreshed = send(confidential, with(ertisRefreshCall, "Authorization", basic("ertis:" + ROUTE_SECRET)));
        assertEquals(201, ertisRefreshed.status(), ertisRefreshed.body());

        Call timeLapseMeRefresh = timeLapseMeRefresh(issued.get("timelapseme").path("refreshToken").asText());
        assertRefused(confidential, timeLapseMeRefresh);
        assertRefused(confidential, with(timeLapseMeRefresh, "Authorization", intruder));
        Http.Response refreshed = send(confidential, with(timeLapseMeRefresh, "Authorization", basic("timelapseme:" + ROUTE_SECRET)));
        assertEquals(200, refreshed.status(), refreshed.body());
    }

    // ---- item 3: realm, client, user and session state

    @Test
    void disabledRealmRefusesEveryRoute() throws Exception {
        Tokens tokens = tokens();
        int users = realm.admin().users().count();
        setRealmEnabled(false);
        try {
            for (Call call : everyRoute(tokens)) {
                assertRefused(realm, call);
            }
            assertEquals(users, realm.admin().users().count(), "a sign-up in the disabled realm created a user");
        } finally {
            setRealmEnabled(true);
        }
    }

    @Test
    void disabledClientIsRefusedByItsRoutes() throws Exception {
        Tokens tokens = tokens();
        Map<String, List<Call>> byClient = new LinkedHashMap<>();
        byClient.put("openk-portal", List.of(openkLogin(Map.of()), bearer("openK checkAuth", "GET", "openk/checkAuth", tokens.openk(), ErrorShape.OAUTH)));
        byClient.put("ertis", List.of(ertisLogin(realm, Map.of()), ertisMe(tokens.ertisAccess()), ertisRefresh(tokens.ertisRefresh())));
        byClient.put("timelapseme", List.of(timeLapseMeLogin(Map.of()), timeLapseMeRefresh(tokens.timeLapseMeRefresh())));
        byClient.put("watcherex", List.of(watcherExPassword(), watcherExRefresh(tokens.watcherExRefresh()),
                bearer("WatcherEx logout", "POST", "watcherex/admin/v1/sessions/logout", tokens.watcherExAccess(), ErrorShape.WATCHEREX)));
        byClient.put("wx-signed", List.of(watcherExLegacyAssertion()));
        for (Map.Entry<String, List<Call>> client : byClient.entrySet()) {
            updateClient(client.getKey(), rep -> rep.setEnabled(false));
            try {
                for (Call call : client.getValue()) {
                    assertRefused(realm, call);
                }
            } finally {
                updateClient(client.getKey(), rep -> rep.setEnabled(true));
            }
        }
    }

    @Test
    void disabledUserIsRefusedEverywhere() throws Exception {
        Tokens tokens = tokens();
        updateUser(rep -> rep.setEnabled(false));
        try {
            for (Call call : everyRoute(tokens)) {
                if (!call.path().contains("signup")) {
                    assertRefused(realm, call);
                }
            }
        } finally {
            updateUser(rep -> rep.setEnabled(true));
        }
    }

    @Test
    void revokedSessionsTokensAreRefused() throws Exception {
        Tokens tokens = tokens();
        user().logout();
        for (Call call : everyRoute(tokens)) {
            if (call.headers().containsKey("Authorization") || call.path().contains("refresh") || call.body().contains("refresh_token")) {
                assertRefused(realm, call);
            }
        }
    }

    @Test
    void anotherClientsTokenIsRefused() throws Exception {
        Tokens tokens = tokens();
        assertRefused(realm, ertisMe(tokens.openk()));
        assertRefused(realm, ertisRefresh(tokens.openkRefresh()));
        assertRefused(realm, timeLapseMeRefresh(tokens.ertisRefresh()));
        assertRefused(realm, new Call("WatcherEx refresh of another client's token", "POST", WATCHEREX_TOKEN,
                Http.toJson(Map.of("grant_type", "refresh_token", "client_id", "watcherex", "client_secret", WX_SECRET,
                        "refresh_token", tokens.timeLapseMeRefresh())),
                Map.of("Content-Type", "application/json"), ErrorShape.WATCHEREX));
    }

    // ---- item 9: token responses are not cached

    @Test
    void tokenResponsesForbidCaching() throws Exception {
        for (Call call : List.of(openkLogin(Map.of()), ertisLogin(realm, Map.of()), timeLapseMeLogin(Map.of()), watcherExPassword(),
                watcherExLegacyAssertion())) {
            Http.Response response = send(realm, call);
            assertEquals(2, response.status() / 100, call.name() + ": " + response.body());
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null), call.name());
            assertEquals("no-cache", response.headers().firstValue("Pragma").orElse(null), call.name());
        }
    }

    // ---- the routes

    /** Live tokens of alice for each route's client, taken while everything is enabled. */
    record Tokens(String openk, String openkRefresh, String ertisAccess, String ertisRefresh, String timeLapseMeRefresh,
                  String watcherExAccess, String watcherExRefresh) {
    }

    private Tokens tokens() throws Exception {
        Http keycloak = Http.at(realm);
        JsonNode openk = keycloak.passwordGrant("openk-portal", ALICE, PASSWORD).requireOk().json();
        JsonNode ertis = keycloak.passwordGrant("ertis", ALICE, PASSWORD).requireOk().json();
        JsonNode timeLapseMe = keycloak.passwordGrant("timelapseme", ALICE, PASSWORD).requireOk().json();
        JsonNode watcherEx = send(realm, watcherExPassword()).json();
        return new Tokens(openk.path("access_token").asText(), openk.path("refresh_token").asText(), ertis.path("access_token").asText(),
                ertis.path("refresh_token").asText(), timeLapseMe.path("refresh_token").asText(), watcherEx.path("access_token").asText(),
                watcherEx.path("refresh_token").asText());
    }

    private List<Call> everyRoute(Tokens tokens) throws Exception {
        List<Call> calls = new ArrayList<>(List.of(
                openkLogin(Map.of()),
                bearer("openK checkAuth", "GET", "openk/checkAuth", tokens.openk(), ErrorShape.OAUTH),
                bearer("openK userModulesForUser", "GET", "openk/userModulesForUser", tokens.openk(), ErrorShape.OAUTH),
                ertisLogin(realm, Map.of()),
                ertisMe(tokens.ertisAccess()),
                bearer("ErtisAuth whoami", "GET", "ertis/api/v1/whoami", tokens.ertisAccess(), ErrorShape.ERTIS),
                bearer("ErtisAuth verify-token", "GET", "ertis/api/v1/verify-token", tokens.ertisAccess(), ErrorShape.ERTIS),
                ertisRefresh(tokens.ertisRefresh()),
                timeLapseMeLogin(Map.of()),
                new Call("TimeLapseMe sign-up", "POST", "timelapseme/api/v1/signup/credentials",
                        Http.toJson(Map.of("email", "newcomer@example.org", "password", PASSWORD, "passwordConfirm", PASSWORD,
                                "nickname", "newcomer")), Map.of("Content-Type", "application/json"), ErrorShape.PLAIN_TEXT_400),
                timeLapseMeRefresh(tokens.timeLapseMeRefresh()),
                watcherExPassword(),
                watcherExLegacyAssertion(),
                watcherExRefresh(tokens.watcherExRefresh()),
                bearer("WatcherEx logout", "POST", "watcherex/admin/v1/sessions/logout", tokens.watcherExAccess(), ErrorShape.WATCHEREX),
                // last: on a live session it would end the others' sessions
                bearer("openK logout", "POST", "openk/logout", tokens.openk(), ErrorShape.OAUTH)));
        return calls;
    }

    private static Call openkLogin(Map<String, String> headers) throws Exception {
        return json("openK login", "openk/login", Map.of("userName", ALICE, "password", PASSWORD), headers, ErrorShape.OAUTH);
    }

    private static Call ertisLogin(ManagedRealm target, Map<String, String> headers) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("X-Ertis-Alias", target.getName());
        return json("ErtisAuth generate-token", "ertis/api/v1/generate-token", Map.of("username", ALICE, "password", PASSWORD), all,
                ErrorShape.ERTIS);
    }

    private static Call ertisMe(String accessToken) {
        return bearer("ErtisAuth me", "GET", "ertis/api/v1/me", accessToken, ErrorShape.ERTIS);
    }

    private static Call ertisRefresh(String refreshToken) throws Exception {
        return json("ErtisAuth refresh-token", "ertis/api/v1/refresh-token", Map.of("token", refreshToken), Map.of(), ErrorShape.ERTIS);
    }

    private static Call timeLapseMeLogin(Map<String, String> headers) throws Exception {
        return json("TimeLapseMe auth/credentials", "timelapseme/api/v1/auth/credentials",
                Map.of("email", "alice@example.org", "password", PASSWORD), headers, ErrorShape.PLAIN_TEXT_400);
    }

    private static Call timeLapseMeRefresh(String refreshToken) throws Exception {
        return json("TimeLapseMe refresh", "timelapseme/api/v1/refresh", Map.of("refreshToken", refreshToken), Map.of(),
                ErrorShape.PLAIN_TEXT_400);
    }

    private static Call watcherExPassword() throws Exception {
        return json("WatcherEx password grant", WATCHEREX_TOKEN, Map.of("grant_type", "password", "client_id", "watcherex",
                "client_secret", WX_SECRET, "username", ALICE, "password", PASSWORD), Map.of(), ErrorShape.WATCHEREX);
    }

    private static Call watcherExRefresh(String refreshToken) throws Exception {
        return json("WatcherEx refresh grant", WATCHEREX_TOKEN, Map.of("grant_type", "refresh_token", "client_id", "watcherex",
                "client_secret", WX_SECRET, "refresh_token", refreshToken), Map.of(), ErrorShape.WATCHEREX);
    }

    /** A password grant of a client authenticated by an assertion with WatcherEx's own audience (Keybridge's own check). */
    private static Call watcherExLegacyAssertion() throws Exception {
        return json("WatcherEx password grant, legacy assertion", WATCHEREX_TOKEN, Map.of("grant_type", "password",
                "client_id", "wx-signed", "client_assertion", WatcherExTest.assertion("wx-signed", "WatcherEx"),
                "username", ALICE, "password", PASSWORD), Map.of(), ErrorShape.WATCHEREX);
    }

    private static Call json(String name, String path, Map<String, String> body, Map<String, String> headers, ErrorShape shape) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        return new Call(name, "POST", path, Http.toJson(body), all, shape);
    }

    private static Call bearer(String name, String method, String path, String token, ErrorShape shape) {
        return new Call(name, method, path, "", Map.of("Authorization", "Bearer " + token), shape);
    }

    private static Call with(Call call, String header, String value) {
        Map<String, String> headers = new LinkedHashMap<>(call.headers());
        headers.put(header, value);
        return new Call(call.name() + " with " + header + " " + value.split(" ")[0], call.method(), call.path(), call.body(), headers,
                call.shape());
    }

    private static String basic(String idAndSecret) {
        return "Basic " + Base64.getEncoder().encodeToString(idAndSecret.getBytes(StandardCharsets.UTF_8));
    }

    // ---- checks and state changes

    /** Refused (4xx) in the route's error shape, with no token in the answer. */
    private void assertRefused(ManagedRealm target, Call call) throws Exception {
        Http.Response response = send(target, call);
        String what = call.name() + " answered " + response.status() + " " + response.body();
        assertTrue(response.status() >= 400 && response.status() < 500, what);
        assertEquals(java.util.Optional.empty(), call.shape().problem(response), what);
        assertTrue(!response.body().contains("ccess_token") && !response.body().contains("ccessToken"), what);
    }

    private Http.Response send(ManagedRealm target, Call call) {
        return Http.at(target).send(call.method(), call.path(), call.body().isEmpty() ? null : call.body(), call.headers());
    }

    private void setRealmEnabled(boolean enabled) {
        RealmRepresentation rep = realm.admin().toRepresentation();
        rep.setEnabled(enabled);
        realm.admin().update(rep);
    }

    private void updateClient(String clientId, Consumer<ClientRepresentation> change) {
        ClientRepresentation rep = realm.admin().clients().findByClientId(clientId).get(0);
        ClientResource client = realm.admin().clients().get(rep.getId());
        change.accept(rep);
        client.update(rep);
    }

    private UserResource user() {
        return realm.admin().users().get(realm.admin().users().search(ALICE, true).get(0).getId());
    }

    private void updateUser(Consumer<UserRepresentation> change) {
        UserResource user = user();
        UserRepresentation rep = user.toRepresentation();
        change.accept(rep);
        user.update(rep);
    }
}

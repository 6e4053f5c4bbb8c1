package dev.keybridge.it.tapis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * The Tapis Tokens API refuses what Keycloak's token endpoint refuses: refreshes without the client's credentials,
 * a disabled realm, client or user, a revoked session; identity claims through {@code claims}; user tokens for
 * realm administrators without the impersonation permission; oversized session notes. Every refusal is the Tapis
 * error envelope.
 */
@KeycloakIntegrationTest
class TapisTokensSecurityTest {

    private static final String JOBS_AUTH = Http.basic("jobs", "jobs-secret");
    private static final String APPS_AUTH = Http.basic("apps", "apps-secret");
    private static final String PASSWORD = "pw-123456";

    @InjectRealm(config = SecurityRealm.class)
    ManagedRealm realm;

    @Test
    void confidentialClientsMustAuthenticateToRefresh() throws Exception {
        String refresh = mintRefreshToken("jdoe");

        Http.Response anonymous = put(refresh, null);
        assertError(anonymous, 400, "Invalid service account/password combination.");
        assertError(put(refresh, Http.basic("jobs", "wrong")), 400, "Invalid service account/password combination.");
        // another client's valid credentials do not refresh jobs' token
        assertError(put(refresh, APPS_AUTH), 400, null);

        JsonNode result = assertSuccess(put(refresh, JOBS_AUTH)).path("result");
        assertTrue(result.path("refresh_token").path("refresh_token").asText().length() > 0, result.toString());
    }

    @Test
    void clientSecretInTheBodyAuthenticatesAsAtTheTokenEndpoint() throws Exception {
        String refresh = mintRefreshToken("jdoe");
        Http.Response reply = Http.plain().json("PUT", tokensUrl(),
                "{\"refresh_token\": \"" + refresh + "\", \"client_secret\": \"jobs-secret\"}", null);
        assertSuccess(reply);
    }

    @Test
    void refreshTokensOfClientsTheApiDoesNotServeAreRefused() throws Exception {
        Http.Response login = Http.at(realm).form("protocol/openid-connect/token",
                Map.of("grant_type", "password", "username", "jdoe", "password", PASSWORD), Http.basic("plain", "plain-secret"));
        assertEquals(200, login.status(), login.body());
        String refresh = login.json().path("refresh_token").asText();

        assertError(put(refresh, Http.basic("plain", "plain-secret")), 400,
                "Invalid PUT data: refresh_token is not a refresh token of this tenant.");
    }

    @Test
    void disabledRealmIssuesNothing() throws Exception {
        String refresh = mintRefreshToken("jdoe");
        whileDisabled(this::setRealmEnabled, () -> assertMintAndRefreshRefused(refresh, 403, "Realm not enabled"));
    }

    @Test
    void disabledClientIssuesNothing() throws Exception {
        String refresh = mintRefreshToken("jdoe");
        whileDisabled(enabled -> setClientEnabled("jobs", enabled),
                () -> assertMintAndRefreshRefused(refresh, 400, "Invalid service account/password combination."));
    }

    @Test
    void disabledUserAndRevokedSessionCannotRefresh() throws Exception {
        String disabledUsersToken = mintRefreshToken("carol");
        whileDisabled(enabled -> setUserEnabled("carol", enabled), () -> assertError(put(disabledUsersToken, JOBS_AUTH), 400, null));

        String revokedToken = mintRefreshToken("carol");
        user("carol").logout();
        JsonNode error = assertError(put(revokedToken, JOBS_AUTH), 400, null);
        assertTrue(error.path("message").asText().startsWith("Invalid PUT data: the refresh token was not accepted"), error.toString());
    }

    @Test
    void reservedClaimsAreRefusedInAnyCase() throws Exception {
        List<String> reserved = List.of("email", "email_verified", "preferred_username", "groups", "authorization",
                "auth_time", "nonce", "cnf", "amr", "acr", "act", "may_act", "allowed-origins", "tapis_sub", "Sub",
                "Realm_Access", "TAPIS/username", "given_name", "roles", "department");
        for (String claim : reserved) {
            String body = "{\"token_tenant_id\": \"dev\", \"account_type\": \"user\", \"token_username\": \"jdoe\", "
                    + "\"claims\": {\"" + claim + "\": \"x\"}}";
            JsonNode error = assertError(create(JOBS_AUTH, body), 400, null);
            assertTrue(error.path("message").asText().startsWith("passing claim " + claim + " as an extra_claim is not allowed"),
                    claim + ": " + error);
        }
        // a client without the generator role on its own service token
        JsonNode error = assertError(create(APPS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "service", "token_username": "apps", "target_site_id": "uh",
                 "claims": {"project": "ok", "preferred_username": "admin", "email": "ceo@corp", "email_verified": true}}"""), 400, null);
        assertTrue(error.path("message").asText().startsWith("passing claim preferred_username as an extra_claim is not allowed"),
                error.toString());

        JsonNode token = Jwt.claims(assertSuccess(create(JOBS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "user", "token_username": "jdoe", "claims": {"project": "climate"}}"""))
                .path("result").path("access_token").path("access_token").asText());
        assertEquals("climate", token.path("project").asText(), "unreserved claims still pass");
    }

    @Test
    void generatorCannotMintForRealmAdministratorsWithoutImpersonation() throws Exception {
        int sessionsBefore = user("boss").getUserSessions().size();
        assertError(create(JOBS_AUTH, userToken("boss", true)), 400,
                "Not authorized to generate tokens for boss: the user holds administrative roles.");
        assertError(create(JOBS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "service", "token_username": "ops", "target_site_id": "uh"}"""), 400,
                "Not authorized to generate tokens for ops: the user holds administrative roles.");
        assertEquals(sessionsBefore, user("boss").getUserSessions().size(), "no session for the refused mint");

        // with Keycloak's impersonation permission the generator may act for the administrator, as the admin API allows
        UserResource jobsAccount = realm.admin().users().get(client("jobs").getServiceAccountUser().getId());
        ClientRepresentation realmManagement = realm.admin().clients().findByClientId("realm-management").get(0);
        RoleRepresentation impersonation = realm.admin().clients().get(realmManagement.getId()).roles().get("impersonation").toRepresentation();
        jobsAccount.roles().clientLevel(realmManagement.getId()).add(List.of(impersonation));
        try {
            assertSuccess(create(JOBS_AUTH, userToken("boss", false)));
        } finally {
            jobsAccount.roles().clientLevel(realmManagement.getId()).remove(List.of(impersonation));
        }
    }

    @Test
    void sessionNotesAreBounded() throws Exception {
        int sessionsBefore = user("jdoe").getUserSessions().size();
        String big = "{\"token_tenant_id\": \"dev\", \"account_type\": \"user\", \"token_username\": \"jdoe\", \"claims\": {\"pad\": \""
                + "x".repeat(5000) + "\"}}";
        assertError(create(JOBS_AUTH, big), 400,
                "Invalid POST data: claims, target_site_id and the delegation subject take more than 4096 bytes.");
        String bigSite = "{\"token_tenant_id\": \"dev\", \"account_type\": \"service\", \"token_username\": \"jobs\", "
                + "\"target_site_id\": \"" + "s".repeat(4097) + "\"}";
        assertError(create(JOBS_AUTH, bigSite), 400,
                "Invalid POST data: claims, target_site_id and the delegation subject take more than 4096 bytes.");
        assertEquals(sessionsBefore, user("jdoe").getUserSessions().size(), "no session for a refused mint");
    }

    @Test
    void offlineRefreshTokensRefreshInTheTapisEnvelope() throws Exception {
        Http.Response login = Http.at(realm).form("protocol/openid-connect/token",
                Map.of("grant_type", "password", "username", "jdoe", "password", PASSWORD, "scope", "openid offline_access"),
                Http.basic("jobs", "jobs-secret"));
        assertEquals(200, login.status(), login.body());
        String offline = login.json().path("refresh_token").asText();

        JsonNode refreshed = assertSuccess(put(offline, JOBS_AUTH)).path("result").path("refresh_token");
        assertFalse(refreshed.path("expires_at").isTextual(), "an offline token without expiry: " + refreshed);
        // the new offline token works: nothing was consumed by a failure
        assertSuccess(put(refreshed.path("refresh_token").asText(), JOBS_AUTH));
    }

    @Test
    void tokenResponsesAreNotCached() throws Exception {
        Http.Response minted = create(JOBS_AUTH, userToken("jdoe", true));
        assertSuccess(minted);
        Http.Response refused = create(APPS_AUTH, userToken("jdoe", false));
        Http.Response refreshed = put(minted.json().path("result").path("refresh_token").path("refresh_token").asText(), JOBS_AUTH);
        for (Http.Response reply : List.of(minted, refused, refreshed)) {
            assertEquals(List.of("no-store"), reply.headers().allValues("cache-control"), reply.headers().toString());
            assertEquals(List.of("no-cache"), reply.headers().allValues("pragma"), reply.headers().toString());
        }
    }

    private void assertMintAndRefreshRefused(String refresh, int status, String message) throws Exception {
        assertError(create(JOBS_AUTH, userToken("jdoe", false)), status, message);
        assertError(put(refresh, JOBS_AUTH), status, message);
    }

    private interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check} with something disabled, enabling it again whatever happens. */
    private static void whileDisabled(Consumer<Boolean> setEnabled, Check check) throws Exception {
        setEnabled.accept(false);
        try {
            check.run();
        } finally {
            setEnabled.accept(true);
        }
    }

    private String mintRefreshToken(String username) throws Exception {
        return assertSuccess(create(JOBS_AUTH, userToken(username, true)))
                .path("result").path("refresh_token").path("refresh_token").asText();
    }

    private static String userToken(String username, boolean refresh) {
        return "{\"token_tenant_id\": \"dev\", \"account_type\": \"user\", \"token_username\": \"" + username
                + "\", \"generate_refresh_token\": " + refresh + "}";
    }

    private Http.Response create(String authorization, String body) throws Exception {
        return Http.plain().json("POST", tokensUrl(), body, authorization);
    }

    private Http.Response put(String refreshToken, String authorization) throws Exception {
        return Http.plain().json("PUT", tokensUrl(), "{\"refresh_token\": \"" + refreshToken + "\"}", authorization);
    }

    private static JsonNode assertSuccess(Http.Response reply) throws Exception {
        assertEquals(200, reply.status(), reply.body());
        JsonNode envelope = reply.json();
        assertEquals("success", envelope.path("status").asText(), reply.body());
        return envelope;
    }

    private static JsonNode assertError(Http.Response reply, int status, String message) throws Exception {
        assertEquals(status, reply.status(), reply.body());
        JsonNode envelope = reply.json();
        assertEquals("error", envelope.path("status").asText(), reply.body());
        assertTrue(envelope.get("result").isNull(), reply.body());
        assertFalse(reply.body().contains("access_token"), reply.body());
        if (message != null) {
            assertEquals(message, envelope.path("message").asText());
        }
        return envelope;
    }

    private void setRealmEnabled(boolean enabled) {
        RealmRepresentation rep = realm.admin().toRepresentation();
        rep.setEnabled(enabled);
        realm.admin().update(rep);
    }

    private void setClientEnabled(String clientId, boolean enabled) {
        ClientRepresentation rep = client(clientId).toRepresentation();
        rep.setEnabled(enabled);
        client(clientId).update(rep);
    }

    private void setUserEnabled(String username, boolean enabled) {
        UserRepresentation rep = user(username).toRepresentation();
        rep.setEnabled(enabled);
        user(username).update(rep);
    }

    private ClientResource client(String clientId) {
        return realm.admin().clients().get(realm.admin().clients().findByClientId(clientId).get(0).getId());
    }

    private UserResource user(String username) {
        return realm.admin().users().get(realm.admin().users().search(username, true).get(0).getId());
    }

    private String tokensUrl() {
        return realm.getBaseUrl() + "/tapis/v3/tokens";
    }

    /**
     * Tenant "dev": jobs (generator, with a hardcoded "department" claim), apps (no generator role), plain (a
     * confidential client without the Tapis mapper), ops (a service whose account is a realm administrator);
     * users jdoe, carol and boss (realm-admin).
     */
    public static class SecurityRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.name("tapis-security")
                    .eventsEnabled(true)
                    .revokeRefreshToken(true)
                    .realmRoles(TapisRealm.GENERATOR_ROLE)
                    .clients(
                            ClientBuilder.create("jobs").secret("jobs-secret").serviceAccountsEnabled().directAccessGrantsEnabled()
                                    .protocolMappers(TapisRealm.tapisMapper(Map.of("tapis.target.site", "tacc")),
                                            TapisRealm.mapper("department", "oidc-hardcoded-claim-mapper", Map.of(
                                                    "claim.name", "department", "claim.value", "research",
                                                    "access.token.claim", "true"))),
                            ClientBuilder.create("apps").secret("apps-secret").serviceAccountsEnabled()
                                    .protocolMappers(TapisRealm.tapisMapper(Map.of())),
                            ClientBuilder.create("plain").secret("plain-secret").directAccessGrantsEnabled(),
                            ClientBuilder.create("ops").secret("ops-secret").serviceAccountsEnabled())
                    .users(
                            UserBuilder.create("jdoe").password(PASSWORD).name("Jane", "Doe").email("jdoe@example.org")
                                    .realmRoles("offline_access"),
                            UserBuilder.create("carol").password(PASSWORD).name("Carol", "C").email("carol@example.org"),
                            UserBuilder.create("boss").password(PASSWORD).name("Big", "Boss").email("boss@example.org")
                                    .clientRoles("realm-management", "realm-admin"),
                            UserBuilder.create("service-account-jobs").serviceAccountId("jobs").realmRoles(TapisRealm.GENERATOR_ROLE),
                            UserBuilder.create("service-account-ops").serviceAccountId("ops").clientRoles("realm-management", "realm-admin"));
        }
    }
}

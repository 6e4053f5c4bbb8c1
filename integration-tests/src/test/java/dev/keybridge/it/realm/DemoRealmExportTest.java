package dev.keybridge.it.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import dev.keybridge.tokens.refresh.RotatingRefreshTokenConfig;
import dev.keybridge.tokens.refresh.RotatingRefreshTokenExecutorFactory;
import dev.keybridge.tokens.tapis.TapisClaimsConfig;
import dev.keybridge.tokens.tapis.TapisClaimsMapper;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.server.KeycloakUrls;

/**
 * The demo realm of realm-export/ as the server imported it at start-up: exported back through the
 * admin REST API (partial export with clients, groups and roles), every Keybridge setting must still be
 * there, and the demo users get the tokens the settings promise.
 */
@KeycloakIntegrationTest
class DemoRealmExportTest {

    private static final String REALM = "keybridge-demo";
    private static final String ROTATING = "rotating-refresh";

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    @Test
    void realmIsImportedWithThemeBruteForceOpenkSettingsAndVaultSecrets() {
        RealmRepresentation realm = export();

        assertTrue(realm.isEnabled());
        assertEquals("keybridge", realm.getLoginTheme());
        assertEquals("keybridge", realm.getAdminTheme());
        assertTrue(realm.getDisplayNameHtml().contains("Keybridge demo"));
        assertTrue(realm.isBruteForceProtected());
        assertFalse(realm.isPermanentLockout());
        assertEquals(5, realm.getFailureFactor());
        assertEquals(600, realm.getMaxDeltaTimeSeconds());
        assertEquals(900, realm.getWaitIncrementSeconds());
        assertEquals(900, realm.getMaxFailureWaitSeconds());
        assertEquals("openk-portal", realm.getAttributes().get("openk.login-client"));
        assertEquals("portal-admin", realm.getAttributes().get("openk.access-role"));

        IdentityProviderRepresentation google = realm.getIdentityProviders().stream()
                .filter(idp -> idp.getAlias().equals("google")).findFirst().orElseThrow();
        assertEquals("${vault.google-client-secret}", google.getConfig().get("clientSecret"));
        assertTrue(google.getConfig().get("keybridge.allowedAudiences").contains("keybridge-demo-ios.apps.googleusercontent.com"));
    }

    @Test
    void appleBrokerMobileNativeSignInAndDisabledMysqlFederationAreConfigured() {
        RealmRepresentation realm = export();

        IdentityProviderRepresentation apple = realm.getIdentityProviders().stream()
                .filter(idp -> idp.getAlias().equals("apple")).findFirst().orElseThrow();
        assertEquals("apple", apple.getProviderId());
        assertEquals("${vault.apple-p8-key}", apple.getConfig().get("clientSecret"));
        assertEquals("DEMOTEAM01", apple.getConfig().get("teamId"));
        assertEquals("dev.keybridge.demo.ios", apple.getConfig().get("keybridge.allowedAudiences"));
        assertEquals("true", apple.getConfig().get("keybridge.nonceRequired"));

        ClientRepresentation timelapseme = client(realm, "timelapseme");
        assertEquals("userId", mapper(timelapseme, "oidc-usermodel-property-mapper").getConfig().get("claim.name"));
        assertEquals("nickname", mapper(timelapseme, "oidc-usermodel-attribute-mapper").getConfig().get("claim.name"));

        assertEquals("apple google", timelapseme.getAttributes().get("keybridge.nativeSignIn.identityProviders"));
        assertEquals("ertisauth", realm.getAttributes().get("ertis.client"));
        // the compatibility refresh routes refuse to serve a realm whose refresh tokens don't rotate
        assertTrue(realm.getRevokeRefreshToken());
        assertEquals(0, realm.getRefreshTokenMaxReuse());

        ClientRepresentation mobile = client(realm, "keybridge-mobile");
        assertTrue(mobile.isPublicClient());
        assertEquals("apple google", mobile.getAttributes().get("keybridge.nativeSignIn.identityProviders"));

        var federation = admin.realm(REALM).components()
                .query(null, "org.keycloak.storage.UserStorageProvider", "timelapseme-mysql");
        assertEquals(1, federation.size(), "the mysql-users component is not imported");
        assertEquals("mysql-users", federation.get(0).getProviderId());
        // ${KEYBRIDGE_LEGACY_DB_*:default} placeholders, resolved by the start-up import (no such environment here)
        assertEquals(List.of("false"), federation.get(0).getConfig().get("enabled"));
        assertEquals(List.of("jdbc:mysql://mysql:3306/legacy"), federation.get(0).getConfig().get("jdbcUrl"));
        assertEquals(List.of("keybridge"), federation.get(0).getConfig().get("jdbcUser"));
        assertEquals(List.of("MIGRATE_ON_LOGIN"), federation.get(0).getConfig().get("editMode"));
    }

    @Test
    void compatibilityClientsKeepTheirOriginalsLifetimes() {
        RealmRepresentation realm = export();
        assertLifetimes(client(realm, "watcherex"), "7200", "2592000", "2592000");
        assertLifetimes(client(realm, "tapis-jobs"), "300", "600", null);
        assertLifetimes(client(realm, "tapis-portal"), "300", "600", null);
        assertLifetimes(client(realm, "timelapseme"), "900", "604800", null);
        assertLifetimes(client(realm, "ertisauth"), "43200", "86400", "86400");

        assertTokenLifetimes(passwordGrant("watcherex", secret("watcherex"), "demo"), 7200, 2592000);
        assertTokenLifetimes(passwordGrant("tapis-portal", null, "demo"), 300, 600);
        assertTokenLifetimes(passwordGrant("timelapseme", null, "demo"), 900, 604800);
        assertTokenLifetimes(passwordGrant("ertisauth", secret("ertisauth"), "demo"), 43200, 86400);
    }

    @Test
    void tapisMapperSurvivesAndDelegationTokensOfTheJobsServiceCarryIt() {
        RealmRepresentation realm = export();
        for (String clientId : List.of("tapis-portal", "tapis-jobs")) {
            Map<String, String> config = mapper(client(realm, clientId), TapisClaimsMapper.PROVIDER_ID).getConfig();
            assertEquals("demo", config.get(TapisClaimsConfig.TENANT_ID));
            assertEquals("keybridge", config.get(TapisClaimsConfig.TARGET_SITE));
            assertEquals("true", config.get(TapisClaimsConfig.TAPIS_SUB_ENABLED));
            assertEquals("tapis_sub", config.get(TapisClaimsConfig.TAPIS_SUB_CLAIM_NAME));
        }
        assertEquals("true", client(realm, "tapis-jobs").getAttributes().get("standard.token.exchange.enabled"));

        JsonNode login = passwordGrant("tapis-portal", null, "dora").requireOk().json();
        JsonNode user = Jwt.claims(login.path("access_token").asText());
        assertEquals("demo", user.path("tapis/tenant_id").asText());
        assertEquals("dora", user.path("tapis/username").asText());
        assertEquals("user", user.path("tapis/account_type").asText());
        assertFalse(user.path("tapis/delegation").asBoolean(true));
        assertEquals("dora@demo", user.path("tapis_sub").asText());

        JsonNode exchanged = token(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "client_id", "tapis-jobs", "client_secret", secret("tapis-jobs"),
                "subject_token", login.path("access_token").asText(),
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token")).requireOk().json();
        JsonNode delegation = Jwt.claims(exchanged.path("access_token").asText());
        assertEquals("dora", delegation.path("tapis/username").asText());
        assertTrue(delegation.path("tapis/delegation").asBoolean());
        assertEquals("tapis-jobs@demo", delegation.path("tapis/delegation_sub").asText());
        assertEquals("keybridge", delegation.path("tapis/target_site").asText());
    }

    @Test
    void rotatingRefreshPolicySurvivesAndRevokesTheLoginOnReuseAtTimelapseme() {
        RealmRepresentation realm = export();
        var executor = realm.getParsedClientProfiles().getProfiles().stream()
                .filter(profile -> profile.getName().equals(ROTATING)).findFirst().orElseThrow().getExecutors().get(0);
        assertEquals(RotatingRefreshTokenExecutorFactory.PROVIDER_ID, executor.getExecutorProviderId());
        JsonNode config = executor.getConfiguration();
        assertTrue(config.path(RotatingRefreshTokenConfig.ROTATE).asBoolean());
        assertEquals(0, config.path(RotatingRefreshTokenConfig.REUSE_INTERVAL).asInt(-1));
        assertEquals("family", config.path(RotatingRefreshTokenConfig.ON_BREACH).asText());
        var policy = realm.getParsedClientPolicies().getPolicies().stream()
                .filter(p -> p.getName().equals(ROTATING)).findFirst().orElseThrow();
        assertTrue(policy.isEnabled());
        assertEquals(List.of(ROTATING), policy.getProfiles());
        assertEquals("client-roles", policy.getConditions().get(0).getConditionProviderId());
        assertEquals(ROTATING, policy.getConditions().get(0).getConfiguration().path("roles").path(0).asText());
        for (String clientId : List.of("timelapseme", "keybridge-demo-app")) {
            assertTrue(realm.getRoles().getClient().get(clientId).stream().anyMatch(role -> role.getName().equals(ROTATING)), clientId);
        }

        JsonNode first = passwordGrant("timelapseme", null, "felix").requireOk().json();
        String firstRefresh = first.path("refresh_token").asText();
        assertEquals(0, Jwt.claims(firstRefresh).path("kb_rrt_gen").asInt(0));
        JsonNode rotated = refresh("timelapseme", firstRefresh).requireOk().json();
        String secondRefresh = rotated.path("refresh_token").asText();
        assertNotEquals(firstRefresh, secondRefresh);
        assertEquals(1, Jwt.claims(secondRefresh).path("kb_rrt_gen").asInt());

        Http.Response replay = refresh("timelapseme", firstRefresh);
        assertEquals(400, replay.status(), replay.body());
        assertEquals("invalid_grant", replay.json().path("error").asText());
        assertTrue(replay.json().path("error_description").asText().startsWith("Refresh token reuse detected"), replay.body());
        assertEquals(400, refresh("timelapseme", secondRefresh).status(), "the whole family is revoked");

        // the README's alerting query: Keycloak stores REFRESH_TOKEN_ERROR only where the realm enables it
        String session = Jwt.claims(firstRefresh).path("sid").asText();
        boolean stored = admin.realm(REALM).getEvents(List.of("REFRESH_TOKEN_ERROR"), "timelapseme", null, null, null, null, 0, 50)
                .stream()
                .anyMatch(event -> session.equals(event.getSessionId())
                        && "refresh_token_reuse".equals(event.getDetails().get("reason")));
        assertTrue(stored, "the breach should be a stored REFRESH_TOKEN_ERROR event with reason refresh_token_reuse");
    }

    @Test
    void groupTreeAndOpenkModulesSurviveAndTheDispatcherSeesHerModules() throws Exception {
        RealmRepresentation realm = export();
        GroupRepresentation operations = group(realm.getGroups(), "operations");
        assertEquals(List.of("portal-user"), operations.getRealmRoles());
        assertEquals(List.of("dispatcher"), group(operations.getSubGroups(), "dispatch").getRealmRoles());
        assertEquals(List.of("field-worker"), group(operations.getSubGroups(), "field-service").getRealmRoles());
        assertEquals(List.of("portal-admin"),
                group(group(realm.getGroups(), "administration").getSubGroups(), "portal-admins").getRealmRoles());
        RoleRepresentation dispatcher = realm.getRoles().getRealm().stream()
                .filter(role -> role.getName().equals("dispatcher")).findFirst().orElseThrow();
        assertEquals(List.of("portal-user"), List.copyOf(dispatcher.getComposites().getRealm()));

        Map<String, String> dispatch = client(realm, "openk-dispatch").getAttributes();
        assertEquals("dispatcher", dispatch.get("module.required-role"));
        assertEquals("2", dispatch.get("module.order"));
        assertEquals("2", dispatch.get("module.cols"));
        assertEquals("http://localhost:3000/img/dispatch.png", dispatch.get("logoUri"));

        Http openk = Http.at(realmUrl()).resource("openk");
        String accessToken = openk.postJson("login", "{\"userName\":\"dora\",\"password\":\"dora\"}").requireOk().accessToken();
        Http.Response modules = openk.get("userModulesForUser", accessToken);
        JsonNode body = modules.requireOk().json();
        assertEquals(2, body.size(), modules.body());
        assertEquals("News", body.path(0).path("name").asText());
        assertEquals("Dispatch", body.path(1).path("name").asText());
        assertEquals(2, body.path(1).path("cols").asInt());
        assertEquals("http://localhost:3000/dispatch", body.path(1).path("link").asText());
    }

    /**
     * The demo realm's brute-force settings lock a user on the fifth failure. Run in a copy of those settings (a realm of
     * its own with one public client), so the lockout cannot reach the demo users the other tests sign in with
     * (keycloak#36495: users without failures of their own were seen refused as temporarily disabled right after).
     */
    @Test
    void bruteForceLocksAUserOnTheFifthFailure() throws Exception {
        RealmRepresentation demo = export();
        RealmRepresentation copy = new RealmRepresentation();
        copy.setRealm(REALM + "-lockout");
        copy.setEnabled(true);
        copy.setBruteForceProtected(demo.isBruteForceProtected());
        copy.setPermanentLockout(demo.isPermanentLockout());
        copy.setMaxTemporaryLockouts(demo.getMaxTemporaryLockouts());
        copy.setFailureFactor(demo.getFailureFactor());
        copy.setWaitIncrementSeconds(demo.getWaitIncrementSeconds());
        copy.setMaxFailureWaitSeconds(demo.getMaxFailureWaitSeconds());
        copy.setMaxDeltaTimeSeconds(demo.getMaxDeltaTimeSeconds());
        copy.setQuickLoginCheckMilliSeconds(demo.getQuickLoginCheckMilliSeconds());
        copy.setMinimumQuickLoginWaitSeconds(demo.getMinimumQuickLoginWaitSeconds());
        ClientRepresentation app = new ClientRepresentation();
        app.setClientId("lockout-app");
        app.setPublicClient(true);
        app.setDirectAccessGrantsEnabled(true);
        copy.setClients(List.of(app));
        UserRepresentation user = new UserRepresentation();
        user.setUsername("lockout-probe");
        user.setEnabled(true);
        user.setEmail("lockout-probe@keybridge.example");
        user.setEmailVerified(true);
        user.setFirstName("Lockout");
        user.setLastName("Probe");
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("lockout-probe");
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        copy.setUsers(List.of(user));
        admin.realms().create(copy);
        RealmResource realm = admin.realm(copy.getRealm());
        try {
            String userId = realm.users().searchByUsername("lockout-probe", true).get(0).getId();
            Http lockout = Http.at(urls.getBase() + "/realms/" + copy.getRealm());
            for (int failure = 1; failure <= 5; failure++) {
                // more than Keycloak's quick-login check (1 s) apart, so only the failure count locks
                Thread.sleep(1100);
                assertInvalidGrant(lockout.token(Map.of("grant_type", "password", "client_id", "lockout-app",
                        "username", "lockout-probe", "password", "wrong")));
                if (failure == 4) {
                    assertEquals(Boolean.FALSE, realm.attackDetection().bruteForceUserStatus(userId).get("disabled"));
                }
            }
            Map<String, Object> status = realm.attackDetection().bruteForceUserStatus(userId);
            for (int poll = 0; poll < 50 && !Boolean.TRUE.equals(status.get("disabled")); poll++) {
                // the lock is written by the failure's own transaction; give a slow machine a moment
                Thread.sleep(100);
                status = realm.attackDetection().bruteForceUserStatus(userId);
            }
            assertEquals(Boolean.TRUE, status.get("disabled"), status.toString());
            assertEquals(5, ((Number) status.get("numFailures")).intValue(), status.toString());
            // the right password no longer gets through
            assertInvalidGrant(lockout.token(Map.of("grant_type", "password", "client_id", "lockout-app",
                    "username", "lockout-probe", "password", "lockout-probe")));
        } finally {
            realm.remove();
        }
    }

    private static void assertInvalidGrant(Http.Response response) {
        assertEquals(400, response.status(), response.body());
        assertEquals("invalid_grant", response.json().path("error").asText(), response.body());
    }

    private RealmRepresentation export() {
        return admin.realm(REALM).partialExport(true, true);
    }

    private static ClientRepresentation client(RealmRepresentation realm, String clientId) {
        return realm.getClients().stream().filter(client -> client.getClientId().equals(clientId)).findFirst()
                .orElseThrow(() -> new AssertionError("client " + clientId + " is not in the export"));
    }

    private static ProtocolMapperRepresentation mapper(ClientRepresentation client, String type) {
        return client.getProtocolMappers().stream().filter(mapper -> mapper.getProtocolMapper().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError(client.getClientId() + " has no " + type + " mapper"));
    }

    private static GroupRepresentation group(List<GroupRepresentation> groups, String name) {
        return groups.stream().filter(group -> group.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no group " + name + " in " + groups));
    }

    private static void assertLifetimes(ClientRepresentation client, String access, String idle, String max) {
        Map<String, String> attributes = client.getAttributes();
        assertEquals(access, attributes.get("access.token.lifespan"), client.getClientId());
        assertEquals(idle, attributes.get("client.session.idle.timeout"), client.getClientId());
        assertEquals(max, attributes.get("client.session.max.lifespan"), client.getClientId());
    }

    /** Access token lifetime exactly; refresh token lifetime within a second (the session clock may tick between). */
    private static void assertTokenLifetimes(Http.Response response, int access, int refresh) {
        JsonNode tokens = response.requireOk().json();
        JsonNode accessToken = Jwt.claims(tokens.path("access_token").asText());
        assertEquals(access, accessToken.path("exp").asLong() - accessToken.path("iat").asLong(), accessToken.path("azp").asText());
        JsonNode refreshToken = Jwt.claims(tokens.path("refresh_token").asText());
        long refreshLifetime = refreshToken.path("exp").asLong() - refreshToken.path("iat").asLong();
        assertTrue(Math.abs(refresh - refreshLifetime) <= 1, accessToken.path("azp").asText() + " refresh lifetime " + refreshLifetime);
    }

    private String secret(String clientId) {
        String id = admin.realm(REALM).clients().findByClientId(clientId).get(0).getId();
        return admin.realm(REALM).clients().get(id).getSecret().getValue();
    }

    private Http.Response passwordGrant(String clientId, String secret, String username) {
        return passwordGrant(clientId, secret, username, username);
    }

    private Http.Response passwordGrant(String clientId, String secret, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "password", "client_id", clientId,
                "username", username, "password", password, "scope", "openid"));
        if (secret != null) {
            form.put("client_secret", secret);
        }
        return token(form);
    }

    private Http.Response refresh(String clientId, String refreshToken) {
        return token(Map.of("grant_type", "refresh_token", "client_id", clientId, "refresh_token", refreshToken));
    }

    private Http.Response token(Map<String, String> form) {
        return Http.at(realmUrl()).token(form);
    }

    private String realmUrl() {
        return urls.getBase() + "/realms/" + REALM;
    }

}

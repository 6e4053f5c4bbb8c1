package dev.keybridge.it.compat.ertis;

import static dev.keybridge.it.compat.ertis.ErtisTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.ServerLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * ErtisAuth's {@code POST /api/v1/migrate} on the master realm: a master administrator's token creates the membership
 * realm, its admin user and application, which then work with the ErtisAuth routes; repeated calls change nothing but
 * what they change; every refusal leaves nothing behind.
 */
@KeycloakIntegrationTest
class ErtisMigrateTest {

    static final String PASSWORD = "Migrated-pass-1";

    /** A realm whose own administrator is no master administrator. */
    @InjectRealm(config = OtherRealm.class)
    ManagedRealm other;

    @InjectAdminClient
    Keycloak admin;

    private final List<String> createdRealms = new ArrayList<>();
    private final List<String> createdMasterUsers = new ArrayList<>();

    static class OtherRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.users(UserBuilder.create("localadmin").email("localadmin@example.com").name("Local", "Admin")
                    .password(PASSWORD).clientRoles("realm-management", "realm-admin"));
        }
    }

    @AfterEach
    void removeWhatTheTestsCreated() {
        createdRealms.stream().filter(this::realmExists).forEach(name -> admin.realm(name).remove());
        createdMasterUsers.forEach(id -> admin.realm("master").users().delete(id).close());
    }

    @Test
    void firstCallCreatesAMembershipThatServesTheErtisRoutes() throws Exception {
        String membership = newMembershipName();
        Http.Response response = migrate(adminToken(), body(membership, 1200, 86400, "ertugrul", PASSWORD, "backend", "server"));
        assertEquals(201, response.status(), response.body());
        JsonNode result = response.json();
        assertEquals(List.of("membership", "user", "application"), Http.fieldNames(result));
        JsonNode membershipDocument = result.path("membership");
        assertEquals(membership, membershipDocument.path("name").asText());
        assertEquals(1200, membershipDocument.path("expires_in").asInt());
        assertEquals(86400, membershipDocument.path("refresh_token_expires_in").asInt());
        assertEquals("UTF-8", membershipDocument.path("encoding").asText());
        assertFalse(membershipDocument.path("hash_algorithm").asText().isBlank(), membershipDocument.toString());
        assertEquals(List.of("_id", "firstname", "lastname", "username", "email_address", "role", "permissions", "forbidden", "user_type",
                "is_active", "sys", "membership_id"), Http.fieldNames(result.path("user")));
        assertEquals("admin", result.path("user").path("role").asText());
        assertEquals(membership, result.path("user").path("membership_id").asText());
        JsonNode application = result.path("application");
        assertEquals("backend", application.path("name").asText());
        assertEquals("server", application.path("role").asText());
        String secret = application.path("secret").asText();
        assertFalse(secret.isBlank(), application.toString());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));

        // a realm as the admin console creates it: Keycloak's default clients and the route client, rotating refresh tokens
        RealmRepresentation realm = admin.realm(membership).toRepresentation();
        assertEquals(1200, realm.getAccessTokenLifespan());
        assertEquals(86400, realm.getSsoSessionIdleTimeout());
        assertTrue(realm.getSsoSessionMaxLifespan() >= 86400, "session max " + realm.getSsoSessionMaxLifespan());
        assertTrue(realm.getRevokeRefreshToken(), "refresh tokens rotate");
        Set<String> clients = admin.realm(membership).clients().findAll().stream().map(ClientRepresentation::getClientId).collect(Collectors.toSet());
        assertTrue(clients.containsAll(Set.of("account", "admin-cli", "realm-management", "ertis", "backend")), clients.toString());
        ClientRepresentation backend = admin.realm(membership).clients().findByClientId("backend").get(0);
        assertFalse(backend.isPublicClient(), "the application is confidential");

        // the Ertis routes work in it: generate-token, me, refresh, Basic with the application's id and secret
        Http.Response issued = ertis(membership, "POST", "generate-token", Http.toJson(Map.of("username", "ertugrul", "password", PASSWORD)),
                Map.of("Content-Type", "application/json", "X-Ertis-Alias", membership));
        assertEquals(201, issued.status(), issued.body());
        JsonNode tokens = issued.json();
        assertEquals(1200, tokens.path("expires_in").asInt());
        assertEquals(86400, tokens.path("refresh_token_expires_in").asInt());
        JsonNode me = ertis(membership, "GET", "me", null, Map.of("Authorization", "Bearer " + tokens.path("access_token").asText())).json();
        assertEquals(result.path("user").path("_id").asText(), me.path("_id").asText());
        assertEquals("admin", me.path("role").asText());
        assertEquals("ertugrul@example.com", me.path("email_address").asText());
        Http.Response refreshed = ertis(membership, "GET", "refresh-token", null,
                Map.of("Authorization", "Bearer " + tokens.path("refresh_token").asText()));
        assertEquals(201, refreshed.status(), refreshed.body());
        JsonNode app = ertis(membership, "GET", "whoami", null, Map.of("Authorization", "Basic backend:" + secret)).json();
        assertEquals("application", app.path("type").asText());
        assertEquals("server", app.path("role").asText());
        assertEquals(membership, app.path("membership_id").asText());
    }

    @Test
    void repeatedCallsChangeOnlyWhatTheyChange() throws Exception {
        String membership = newMembershipName();
        Map<String, Object> body = body(membership, 600, 3600, "admin1", PASSWORD, "backend", "server");
        Http.Response first = migrate(adminToken(), body);
        assertEquals(201, first.status(), first.body());
        JsonNode created = first.json();
        String secret = created.path("application").path("secret").asText();
        admin.realm(membership).update(adminEventsOn(admin.realm(membership)));
        admin.realm(membership).clearAdminEvents();

        // the same call again: nothing changes, no secret is shown again, the application keeps it
        Http.Response again = migrate(adminToken(), body);
        assertEquals(200, again.status(), again.body());
        JsonNode unchanged = again.json();
        assertEquals(created.path("user").path("_id").asText(), unchanged.path("user").path("_id").asText());
        assertEquals(created.path("application").path("_id").asText(), unchanged.path("application").path("_id").asText());
        assertTrue(unchanged.path("application").path("secret").isMissingNode(), unchanged.toString());
        assertEquals(secret, admin.realm(membership).clients().get(created.path("application").path("_id").asText()).getSecret().getValue());
        assertTrue(adminEvents(membership).isEmpty(), adminEvents(membership).toString());

        // new lifetimes and role are applied; an existing user keeps its password
        Map<String, Object> changed = body(membership, 900, 7200, "admin1", "Another-pass-2", "backend", "worker");
        Http.Response updated = migrate(adminToken(), changed);
        assertEquals(200, updated.status(), updated.body());
        assertEquals(900, updated.json().path("membership").path("expires_in").asInt());
        assertEquals("worker", updated.json().path("application").path("role").asText());
        RealmRepresentation realm = admin.realm(membership).toRepresentation();
        assertEquals(900, realm.getAccessTokenLifespan());
        assertEquals(7200, realm.getSsoSessionIdleTimeout());
        assertEquals(201, generateToken(membership, "admin1", PASSWORD).status());
        assertError(generateToken(membership, "admin1", "Another-pass-2"), 401, "UsernameOrPasswordIsWrong");

        // another admin user joins the membership
        Http.Response second = migrate(adminToken(), body(membership, 900, 7200, "admin2", PASSWORD, null, null));
        assertEquals(201, second.status(), second.body());
        assertEquals(List.of("membership", "user"), Http.fieldNames(second.json()));
        String secondId = second.json().path("user").path("_id").asText();
        String applicationId = created.path("application").path("_id").asText();
        Set<String> events = adminEvents(membership);
        assertTrue(events.containsAll(Set.of("UPDATE REALM", "UPDATE CLIENT clients/" + applicationId, "CREATE USER users/" + secondId)),
                events.toString());
    }

    @Test
    void callersWithoutTheAdminApisRightsAreRefusedAndNothingIsCreated() throws Exception {
        String membership = newMembershipName();
        Map<String, Object> body = body(membership, 600, 3600, "admin1", PASSWORD, "backend", "server");
        assertError(migrate(null, body), 401, "Unauthorized");
        assertError(migrate("not-a-token", body), 401, "InvalidToken");
        String localAdmin = Http.at(other).accessToken("admin-cli", "localadmin", PASSWORD);
        assertError(migrate(localAdmin, body), 401, "InvalidToken");
        // the route answers on the administration realm only
        Http.Response elsewhere = send("POST", other.getBaseUrl() + "/ertis/api/v1/migrate", Http.toJson(body),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + localAdmin));
        assertError(elsewhere, 404, "NotFound");

        String nobody = masterUserToken("nobody", Map.of());
        assertError(migrate(nobody, body), 403, "AccessDenied");
        assertFalse(realmExists(membership));

        // an administrator of an existing membership who may manage its users only: no realm created, the realm left alone
        String existing = newMembershipName();
        assertEquals(201, migrate(adminToken(), body(existing, 600, 3600, "admin1", PASSWORD, null, null)).status());
        String usersOnly = masterUserToken("usersonly", Map.of(existing + "-realm", "manage-users"));
        assertError(migrate(usersOnly, body), 403, "AccessDenied");
        assertFalse(realmExists(membership));
        assertError(migrate(usersOnly, body(existing, 1800, 3600, "admin1", PASSWORD, null, null)), 403, "AccessDenied");
        assertEquals(600, admin.realm(existing).toRepresentation().getAccessTokenLifespan());
        assertTrue(ServerLog.lines().stream().anyMatch(line -> line.contains("REGISTER_ERROR") && line.contains("not_allowed")
                && line.contains(existing)), "the refusal is an event of the master realm");
    }

    @Test
    void badInputIsRefusedInErtisShapeAndLeavesNoRealm() throws Exception {
        String membership = newMembershipName();
        String token = adminToken();
        Map<String, String> json = Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token);
        assertError(send("POST", migrateUrl(), "{not json", json), 400, "ModelValidationError");
        assertError(send("POST", migrateUrl(), "[]", json), 400, "ModelValidationError");
        assertError(send("POST", migrateUrl(), "", json), 400, "ModelValidationError");
        assertError(send("POST", migrateUrl(), "{\"membership\":{\"name\":\"" + "x".repeat(70_000) + "\"}}", json), 400, "ModelValidationError");
        Map<String, String> withConnectionString = new HashMap<>(json);
        withConnectionString.put("ConnectionString", "mongodb://root:secret@db:27017/ertisauth");
        assertError(send("POST", migrateUrl(), Http.toJson(body(membership, 600, 3600, "admin1", PASSWORD, null, null)), withConnectionString),
                400, "ModelValidationError");

        Map<String, Object> missingUser = new LinkedHashMap<>(body(membership, 600, 3600, "admin1", PASSWORD, null, null));
        missingUser.remove("user");
        assertError(migrate(token, missingUser), 400, "ModelValidationError");
        Map<String, Object> textLifetime = body(membership, 600, 3600, "admin1", PASSWORD, null, null);
        membershipPart(textLifetime).put("expires_in", "600");
        assertError(migrate(token, textLifetime), 400, "ModelValidationError");
        Map<String, Object> negativeLifetime = body(membership, 600, -1, "admin1", PASSWORD, null, null);
        assertError(migrate(token, negativeLifetime), 400, "ModelValidationError");

        // hostile names: too long, reserved characters, the administration realm, Keycloak's own clients, a colon
        for (String name : List.of("m".repeat(256), "a/../b", "shop?x=1", " padded", "tab\tname", "master")) {
            assertError(migrate(token, body(name, 600, 3600, "admin1", PASSWORD, null, null)), 400, "ModelValidationError");
        }
        for (String application : List.of("realm-management", "admin-cli", "app:with-colon", "a".repeat(256))) {
            assertError(migrate(token, body(membership, 600, 3600, "admin1", PASSWORD, application, "server")), 400, "ModelValidationError");
        }
        assertFalse(realmExists(membership));
        assertEquals("master", admin.realm("master").toRepresentation().getRealm());

        // the user profile refuses the user after the realm was created in the same call: the whole call is rolled back
        Map<String, Object> badEmail = body(membership, 600, 3600, "admin1", PASSWORD, "backend", "server");
        userPart(badEmail).put("email_address", "not-an-email");
        assertError(migrate(token, badEmail), 400, "ModelValidationError");
        assertFalse(realmExists(membership), "no realm is left half-created");
        assertError(migrate(token, body(membership, 600, 3600, "u".repeat(300), PASSWORD, null, null)), 400, "ModelValidationError");
        assertFalse(realmExists(membership), "no realm is left half-created");
        assertTrue(admin.realm("master").clients().findByClientId(membership + "-realm").isEmpty(), "no management client is left in master");
    }

    @Test
    void theRealmsPasswordPolicyJudgesANewUsersPassword() throws Exception {
        String membership = newMembershipName();
        assertEquals(201, migrate(adminToken(), body(membership, 600, 3600, "admin1", PASSWORD, null, null)).status());
        RealmRepresentation realm = admin.realm(membership).toRepresentation();
        realm.setPasswordPolicy("length(16)");
        admin.realm(membership).update(realm);

        Http.Response weak = migrate(adminToken(), body(membership, 1800, 7200, "admin2", "Short-pass-1", "backend", "server"));
        assertError(weak, 400, "ModelValidationError");
        assertTrue(weak.json().path("Message").asText().contains("user.password"), weak.body());
        // nothing of the call stays: no user, no application, the old lifetimes
        assertTrue(admin.realm(membership).users().search("admin2", true).isEmpty());
        assertTrue(admin.realm(membership).clients().findByClientId("backend").isEmpty());
        assertEquals(600, admin.realm(membership).toRepresentation().getAccessTokenLifespan());

        assertEquals(201, migrate(adminToken(), body(membership, 1800, 7200, "admin2", "A-long-enough-pass-1", "backend", "server")).status());
    }

    private String newMembershipName() {
        String name = "ertis-migrate-" + UUID.randomUUID().toString().substring(0, 8);
        createdRealms.add(name);
        return name;
    }

    private static Map<String, Object> body(String membership, int expiresIn, int refreshExpiresIn, String username, String password,
                                            String application, String role) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> membershipPart = new LinkedHashMap<>();
        membershipPart.put("name", membership);
        membershipPart.put("expires_in", expiresIn);
        membershipPart.put("refresh_token_expires_in", refreshExpiresIn);
        membershipPart.put("hash_algorithm", "SHA2-256");
        membershipPart.put("encoding", "UTF-8");
        body.put("membership", membershipPart);
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("firstname", "Ertugrul");
        user.put("lastname", "Ozcan");
        user.put("email_address", username.length() > 60 ? "long@example.com" : username + "@example.com");
        user.put("password", password);
        user.put("user_type", "User");
        body.put("user", user);
        if (application != null) {
            Map<String, Object> app = new LinkedHashMap<>();
            app.put("name", application);
            app.put("role", role);
            body.put("application", app);
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> membershipPart(Map<String, Object> body) {
        return (Map<String, Object>) body.get("membership");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> userPart(Map<String, Object> body) {
        return (Map<String, Object>) body.get("user");
    }

    private String serverUrl() {
        String base = other.getBaseUrl();
        return base.substring(0, base.lastIndexOf("/realms/"));
    }

    private String migrateUrl() {
        return serverUrl() + "/realms/master/ertis/api/v1/migrate";
    }

    private Http.Response migrate(String token, Map<String, Object> body) {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return send("POST", migrateUrl(), Http.toJson(body), headers);
    }

    private Http.Response ertis(String membership, String method, String route, String body, Map<String, String> headers) {
        return send(method, serverUrl() + "/realms/" + membership + "/ertis/api/v1/" + route, body, headers);
    }

    private Http.Response generateToken(String membership, String username, String password) {
        return ertis(membership, "POST", "generate-token", Http.toJson(Map.of("username", username, "password", password)),
                Map.of("Content-Type", "application/json", "X-Ertis-Alias", membership));
    }

    private Http.Response send(String method, String url, String body, Map<String, String> headers) {
        return Http.plain().send(method, url, body, headers);
    }

    private String adminToken() {
        return admin.tokenManager().getAccessTokenString();
    }

    /** A master user holding the given client roles (clientId → role), and its access token from admin-cli. */
    private String masterUserToken(String prefix, Map<String, String> clientRoles) {
        RealmResource master = admin.realm("master");
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEmail(username + "@example.com");
        user.setFirstName("Master");
        user.setLastName("User");
        user.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        master.users().create(user).close();
        String id = master.users().search(username, true).get(0).getId();
        createdMasterUsers.add(id);
        clientRoles.forEach((clientId, role) -> {
            String client = master.clients().findByClientId(clientId).get(0).getId();
            master.users().get(id).roles().clientLevel(client).add(List.of(master.clients().get(client).roles().get(role).toRepresentation()));
        });
        return Http.at(serverUrl() + "/realms/master").accessToken("admin-cli", username, PASSWORD);
    }

    private boolean realmExists(String name) {
        return admin.realms().findAll().stream().anyMatch(realm -> name.equals(realm.getRealm()));
    }

    private static RealmRepresentation adminEventsOn(RealmResource realm) {
        RealmRepresentation representation = realm.toRepresentation();
        representation.setAdminEventsEnabled(true);
        return representation;
    }

    /** Admin events of the realm as "OPERATION RESOURCE path". */
    private Set<String> adminEvents(String realm) {
        return admin.realm(realm).getAdminEvents().stream()
                .map(event -> (event.getOperationType() + " " + event.getResourceType() + " " + (event.getResourcePath() == null ? "" : event.getResourcePath())).trim())
                .collect(Collectors.toSet());
    }
}

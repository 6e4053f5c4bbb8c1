package dev.keybridge.it.compat.watcherex;

import static dev.keybridge.it.compat.watcherex.WatcherExTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.compat.CompatRealms;
import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributePermissions;
import org.keycloak.representations.userprofile.config.UPAttributeRequired;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.RoleBuilder;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * WatcherEx user creation ({@code POST /admin/v1/users}) under the admin REST API's guards: creating a user needs the
 * admin permission to manage users, granting a scope needs the permission to map that role (admin roles only by
 * holders), the realm's {@code watcherex.grantable-roles} limits what WatcherEx may grant at all (by default no
 * {@code realm-management} / {@code broker} role and no composite containing one), the user goes through the user
 * profile's validation, and the admin routes accept only tokens of the WatcherEx clients.
 */
@KeycloakIntegrationTest
public class WatcherExUserAdminGuardsTest {

    static final String PASSWORD = "wx-guard-pw-1";
    static final String APP = "wx-public";
    static final String OTHER_APP = "other-app";
    static final List<String> ADMIN_SCOPES = List.of("realm-management/realm-admin", "realm-management/manage-users",
            "realm-management/impersonation", "broker/read-token", "bundle-with-realm-admin", "bundle-with-read-token");

    @InjectRealm(config = GuardRealm.class)
    ManagedRealm realm;

    @InjectRealm(ref = "listed", config = ListedRealm.class)
    ManagedRealm listed;

    @InjectRealm(ref = "profile", config = ProfileRealm.class)
    ManagedRealm profile;

    /** WatcherEx admins with no admin rights, with the console's right to manage users, and with view-clients too. */
    static class GuardRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return CompatRealms.withoutVerifyProfile(realm).eventsEnabled(true).adminEventsEnabled(true)
                    .attribute("watcherex.accepted-clients", APP)
                    .realmRoles(RoleBuilder.create("watcherex-admin"), RoleBuilder.create("reader"), RoleBuilder.create("writer"),
                            RoleBuilder.create("bundle-with-realm-admin").composite(true).realmComposite("reader")
                                    .clientComposite("realm-management", "realm-admin"),
                            RoleBuilder.create("bundle-with-read-token").composite(true).clientComposite("broker", "read-token"))
                    .clients(ClientBuilder.create(APP).publicClient().directAccessGrantsEnabled(),
                            ClientBuilder.create(OTHER_APP).publicClient().directAccessGrantsEnabled())
                    .users(UserBuilder.create("wxonly").password(PASSWORD).realmRoles("watcherex-admin"),
                            UserBuilder.create("wxconsole").password(PASSWORD).realmRoles("watcherex-admin")
                                    .clientRoles("realm-management", "manage-users"),
                            UserBuilder.create("wxclients").password(PASSWORD).realmRoles("watcherex-admin")
                                    .clientRoles("realm-management", "manage-users", "view-clients"));
        }
    }

    /** The same, with an explicit list of grantable roles that names one admin role. */
    static class ListedRealm extends GuardRealm {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return super.configure(realm).attribute("watcherex.grantable-roles", "reader, realm-management/view-clients");
        }
    }

    /** The same, its user profile requiring a department of every user, admin-created ones included. */
    static class ProfileRealm extends GuardRealm {
    }

    /** Creates a user as the caller, logged in through the accepted client. */
    private static Http.Response create(ManagedRealm in, String caller, String username, List<String> scopes) throws Exception {
        return createWithToken(in, token(in, APP, caller), username, scopes);
    }

    private static Http.Response createWithToken(ManagedRealm in, String accessToken, String username, List<String> scopes)
            throws Exception {
        return Http.at(in).resource("watcherex").send("POST", "admin/v1/users",
                Http.toJson(Map.of("username", username, "password", Map.of("value", "long-pass-1"),
                        "permission", Map.of("scopes", scopes))),
                Map.of("Authorization", "Bearer " + accessToken, "Content-Type", "application/json"));
    }

    private static String token(ManagedRealm in, String clientId, String username) throws Exception {
        return Http.at(in).resource("watcherex").passwordGrant(clientId, username, PASSWORD).requireOk().json().path("access_token").asText();
    }

    private static boolean exists(ManagedRealm in, String username) {
        return !in.admin().users().search(username, true).isEmpty();
    }

    private static Set<String> effectiveRoles(ManagedRealm in, String username) {
        var roles = in.admin().users().get(in.admin().users().search(username, true).get(0).getId()).roles();
        return Stream.concat(roles.realmLevel().listEffective().stream().map(RoleRepresentation::getName),
                        roles.getAll().getClientMappings() == null ? Stream.empty()
                                : roles.getAll().getClientMappings().values().stream()
                                .flatMap(client -> client.getMappings().stream().map(role -> client.getClient() + "/" + role.getName())))
                .collect(Collectors.toSet());
    }

    @Test
    void watcherExAdminRoleAloneCreatesNoUserAndGrantsNoAdminRole() throws Exception {
        String caller = token(realm, APP, "wxonly");
        int index = 0;
        for (String scope : ADMIN_SCOPES) {
            String username = "escalate" + index++;
            assertError(createWithToken(realm, caller, username, List.of(scope)), 401, "unauthorized");
            assertTrue(!exists(realm, username), scope + " created " + username);
        }
        // not even a plain user: creating users is the admin API's manage-users right
        assertError(createWithToken(realm, caller, "plainuser1", List.of("reader")), 401, "unauthorized");
        assertTrue(!exists(realm, "plainuser1"));
    }

    @Test
    void consoleRightsGrantOrdinaryRolesButByDefaultNoAdminRoleNorACompositeOfOne() throws Exception {
        for (String holder : List.of("wxconsole", "wxclients")) {
            String caller = token(realm, APP, holder);
            int index = 0;
            for (String scope : ADMIN_SCOPES) {
                String username = holder + "-esc" + index++;
                assertError(createWithToken(realm, caller, username, List.of(scope)), 401, "unauthorized");
                assertTrue(!exists(realm, username), holder + " granted " + scope);
            }
        }
        // each refusal is recorded with the role refused
        Set<String> refusedRoles = realm.admin().getEvents().stream().filter(event -> "REGISTER_ERROR".equals(event.getType()))
                .map(event -> event.getDetails().get("refused_role")).collect(Collectors.toSet());
        assertTrue(refusedRoles.containsAll(ADMIN_SCOPES), refusedRoles.toString());

        Http.Response created = create(realm, "wxconsole", "readeruser", List.of("reader", "writer"));
        assertEquals(201, created.status(), created.body());
        Set<String> roles = effectiveRoles(realm, "readeruser");
        assertTrue(roles.containsAll(Set.of("reader", "writer")), roles.toString());
        assertTrue(roles.stream().noneMatch(role -> role.startsWith("realm-management/")), roles.toString());
        // the admin events the admin API records for the same changes
        String id = created.json().path("id").asText();
        Set<String> adminEvents = realm.admin().getAdminEvents().stream()
                .map(event -> event.getOperationType() + " " + event.getResourceType() + " " + event.getResourcePath())
                .collect(Collectors.toSet());
        assertTrue(adminEvents.containsAll(Set.of("CREATE USER users/" + id, "CREATE REALM_ROLE_MAPPING users/" + id + "/role-mappings/realm")),
                adminEvents.toString());
    }

    @Test
    void listedRolesOnlyAndAnAdminRoleOnlyByItsHolders() throws Exception {
        // listed, and the caller holds view-clients: granted as by the admin console
        Http.Response granted = create(listed, "wxclients", "listedclients", List.of("reader", "realm-management/view-clients"));
        assertEquals(201, granted.status(), granted.body());
        assertTrue(effectiveRoles(listed, "listedclients").containsAll(Set.of("reader", "realm-management/view-clients")));
        // listed, but the caller may not view clients: the admin API refuses to map an admin role beyond one's own rights
        // (view-users it would allow, as manage-users includes viewing them)
        assertError(create(listed, "wxconsole", "listednoclients", List.of("realm-management/view-clients")), 401, "unauthorized");
        assertTrue(!exists(listed, "listednoclients"));
        // not listed
        assertError(create(listed, "wxclients", "listedwriter", List.of("writer")), 401, "unauthorized");
        assertError(create(listed, "wxclients", "listedadmin", List.of("realm-management/manage-users")), 401, "unauthorized");
        assertTrue(!exists(listed, "listedwriter") && !exists(listed, "listedadmin"));
    }

    @Test
    void theUserProfileValidatesTheNewUser() throws Exception {
        UPConfig config = profile.admin().users().userProfile().getConfiguration();
        config.addOrReplaceAttribute(new UPAttribute("department", new UPAttributePermissions(Set.of("admin"), Set.of("admin")),
                new UPAttributeRequired(Set.of("admin", "user"), Set.of())));
        profile.admin().users().userProfile().update(config);

        Http.Response refused = create(profile, "wxconsole", "nodepartment", List.of("reader"));
        assertError(refused, 400, "bad_request");
        JsonNode fields = refused.json().path("response");
        assertTrue(fields.path("department").isArray() && fields.path("department").size() > 0, refused.body());
        assertTrue(!exists(profile, "nodepartment"));
    }

    @Test
    void tokensOfOtherClientsAreRefusedOnEveryAdminRoute() throws Exception {
        String foreign = token(realm, OTHER_APP, "wxclients");
        assertError(createWithToken(realm, foreign, "foreignmade", List.of("reader")), 403, "unauthenticated");
        assertTrue(!exists(realm, "foreignmade"));
        Http http = Http.at(realm).resource("watcherex");
        for (String route : List.of("admin/v1/sessions/logout", "admin/v1/sessions/logout-all-sessions")) {
            assertError(http.send("POST", route, null, Map.of("Authorization", "Bearer " + foreign)), 403, "unauthenticated");
        }
        // the listed client's token of the same user is accepted
        assertEquals(204, http.send("POST", "admin/v1/sessions/logout", null,
                Map.of("Authorization", "Bearer " + token(realm, APP, "wxclients"))).status());
    }
}

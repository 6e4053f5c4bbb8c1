package dev.keybridge.it.compat.watcherex;

import static dev.keybridge.it.compat.watcherex.WatcherExTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.keybridge.it.compat.CompatRealms;
import dev.keybridge.it.harness.Http;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.resource.AuthorizationResource;
import org.keycloak.representations.idm.authorization.RolePolicyRepresentation;
import org.keycloak.representations.idm.authorization.ScopePermissionRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.RoleBuilder;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * WatcherEx user creation follows the realm's fine-grained admin permissions (v2), as the admin API does: a
 * {@code watcherex-admin} holder with no admin role may create users and grant exactly the roles a permission lets
 * them map.
 */
@KeycloakIntegrationTest
public class WatcherExFineGrainedAdminTest {

    static final String PASSWORD = "wx-fgap-pw-1";

    @InjectRealm(config = FineGrainedRealm.class)
    ManagedRealm realm;

    static class FineGrainedRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return CompatRealms.withoutVerifyProfile(realm).adminPermissionsEnabled(true)
                    .attribute("watcherex.accepted-clients", "wx-public")
                    .realmRoles(RoleBuilder.create("watcherex-admin"), RoleBuilder.create("reader"), RoleBuilder.create("writer"))
                    .clients(ClientBuilder.create("wx-public").publicClient().directAccessGrantsEnabled())
                    .users(UserBuilder.create("fgadmin").password(PASSWORD).realmRoles("watcherex-admin"));
        }
    }

    private Http.Response create(String username, String scope) throws Exception {
        Http http = Http.at(realm).resource("watcherex");
        String token = http.passwordGrant("wx-public", "fgadmin", PASSWORD).requireOk().json().path("access_token").asText();
        return http.send("POST", "admin/v1/users", Http.toJson(Map.of("username", username, "password", "long-pass-1",
                "scopes", List.of(scope))), Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
    }

    @Test
    void aPermissionToManageUsersAndMapOneRoleGrantsThatRoleOnly() throws Exception {
        assertError(create("beforegrant", "reader"), 401, "unauthorized");

        String permissionsClient = realm.admin().clients().findByClientId("admin-permissions").get(0).getId();
        AuthorizationResource authorization = realm.admin().clients().get(permissionsClient).authorization();
        RolePolicyRepresentation admins = new RolePolicyRepresentation();
        admins.setName("watcherex admins");
        admins.addRole(realm.admin().roles().get("watcherex-admin").toRepresentation().getId());
        try (Response created = authorization.policies().role().create(admins)) {
            assertEquals(201, created.getStatus());
        }
        ScopePermissionRepresentation manageUsers = new ScopePermissionRepresentation();
        manageUsers.setName("watcherex admins manage users");
        manageUsers.setResourceType("Users");
        manageUsers.addScope("manage", "map-roles");
        manageUsers.addPolicy(admins.getName());
        try (Response created = authorization.permissions().scope().create(manageUsers)) {
            assertEquals(201, created.getStatus());
        }
        ScopePermissionRepresentation mapReader = new ScopePermissionRepresentation();
        mapReader.setName("watcherex admins map reader");
        mapReader.setResourceType("Roles");
        mapReader.addResource(realm.admin().roles().get("reader").toRepresentation().getId());
        mapReader.addScope("map-role");
        mapReader.addPolicy(admins.getName());
        try (Response created = authorization.permissions().scope().create(mapReader)) {
            assertEquals(201, created.getStatus());
        }

        Http.Response reader = create("fgreader", "reader");
        assertEquals(201, reader.status(), reader.body());
        assertTrue(realm.admin().users().get(reader.json().path("id").asText()).roles().realmLevel().listAll().stream()
                .anyMatch(role -> role.getName().equals("reader")));
        assertError(create("fgwriter", "writer"), 401, "unauthorized");
        assertTrue(realm.admin().users().search("fgwriter", true).isEmpty());
    }
}

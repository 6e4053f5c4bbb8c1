package dev.keybridge.it.openk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.GroupBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.RoleBuilder;

/**
 * GET /usersForRole/{role}: effective membership (direct, group, ancestor group, composite chain, client
 * role), ordering, paging, brief representation, and who may ask.
 */
@KeycloakIntegrationTest
public class OpenkUsersForRoleTest {

    @InjectRealm(config = UsersRealm.class)
    ManagedRealm realm;

    public static class UsersRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm
                    .attribute("openk.access-role", "portal-admin")
                    .clients(OpenkPortal.client()
                                    .webOrigins(OpenkPortal.ORIGIN),
                            ClientBuilder.create("dispatch-app").publicClient())
                    .realmRoles(RoleBuilder.create("dispatcher"),
                            RoleBuilder.create("supervisor").composite(true).realmComposite("dispatcher"),
                            RoleBuilder.create("chief").composite(true).realmComposite("supervisor"),
                            RoleBuilder.create("unrelated"),
                            RoleBuilder.create("portal-admin"))
                    .clientRoles("dispatch-app", RoleBuilder.create("operator"),
                            RoleBuilder.create("lead").composite(true).clientComposite("dispatch-app", "operator"))
                    .groups(GroupBuilder.create("control").realmRoles("dispatcher")
                                    .subGroups(GroupBuilder.create("north").subGroups(GroupBuilder.create("north-east"))),
                            GroupBuilder.create("leads").realmRoles("supervisor"),
                            GroupBuilder.create("other").realmRoles("unrelated"),
                            GroupBuilder.create("ops").clientRoles("dispatch-app", "lead"),
                            GroupBuilder.create("admins").realmRoles("portal-admin"))
                    .users(OpenkPortal.user("viewer").clientRoles("realm-management", "view-users"),
                            OpenkPortal.user("anna").realmRoles("dispatcher"),
                            OpenkPortal.user("bert").groups("/control/north/north-east"),
                            OpenkPortal.user("carl").realmRoles("chief"),
                            OpenkPortal.user("dora").groups("/leads"),
                            OpenkPortal.user("emil").realmRoles("unrelated").groups("/other"),
                            OpenkPortal.user("finn").groups("/control"),
                            OpenkPortal.user("gina").groups("/ops"),
                            OpenkPortal.user("hugo").realmRoles("dispatcher").groups("/control", "/leads"),
                            OpenkPortal.user("ivan").groups("/admins"),
                            OpenkPortal.user("nobody"));
        }
    }

    private Http http() {
        return Http.at(realm).resource("openk");
    }

    private String token(String username) throws Exception {
        return http().accessToken(OpenkPortal.CLIENT, username, OpenkPortal.PASSWORD);
    }

    private static List<String> usernames(Http.Response response) throws Exception {
        return response.fieldOfEach("username");
    }

    @Test
    void realmRoleIsHeldDirectlyThroughGroupsAncestorGroupsAndCompositeChains() throws Exception {
        // anna direct, bert via grandparent group, carl via chief>supervisor>dispatcher, dora via group with a
        // composite, finn via group, hugo three ways (listed once); emil, gina, ivan, viewer, nobody hold it not
        assertEquals(List.of("anna", "bert", "carl", "dora", "finn", "hugo"),
                usernames(http().get("usersForRole/dispatcher", token("viewer"))));
    }

    @Test
    void compositeRoleMembersDoNotIncludeHoldersOfItsParts() throws Exception {
        assertEquals(List.of("carl", "dora", "hugo"), usernames(http().get("usersForRole/supervisor", token("viewer"))));
    }

    @Test
    void clientRoleIsNamedClientIdSlashRoleUrlEncoded() throws Exception {
        assertEquals(List.of("gina"), usernames(http().get("usersForRole/dispatch-app%2Foperator", token("viewer"))));
    }

    @Test
    void pagesAreSlicesOfTheUsernameOrder() throws Exception {
        String token = token("viewer");
        assertEquals(List.of("bert", "carl"), usernames(http().get("usersForRole/dispatcher?first=1&max=2", token)));
        assertEquals(List.of("hugo"), usernames(http().get("usersForRole/dispatcher?first=5&max=2", token)));
        assertEquals(List.of(), usernames(http().get("usersForRole/dispatcher?first=6", token)));
        // above the cap of 1000 the page is capped, not refused
        assertEquals(6, usernames(http().get("usersForRole/dispatcher?max=5000", token)).size());
    }

    @Test
    void badPagingParametersAre400WithJsonError() throws Exception {
        String token = token("viewer");
        for (String query : List.of("max=0", "max=abc", "first=-1")) {
            http().get("usersForRole/dispatcher?" + query, token).assertError(400, "invalid_request");
        }
    }

    @Test
    void fullRepresentationHasTheOriginalsFieldsAndBriefOneIsLean() throws Exception {
        String token = token("viewer");
        JsonNode full = http().get("usersForRole/dispatcher?max=1", token).json().get(0);
        assertEquals("anna", full.path("username").asText());
        for (String field : List.of("id", "createdTimestamp", "enabled", "totp", "emailVerified", "firstName", "lastName",
                "requiredActions", "disableableCredentialTypes", "access")) {
            assertTrue(full.has(field), "full representation lacks " + field + ": " + full);
        }
        assertTrue(full.path("realmRoles").toString().contains("\"dispatcher\""), full.toString());
        assertTrue(full.path("access").path("view").asBoolean(), "view-users caller may view: " + full);
        assertFalse(full.path("access").path("manage").asBoolean(), "view-users caller may not manage: " + full);

        JsonNode brief = http().get("usersForRole/dispatcher?max=1&briefRepresentation=true", token).json().get(0);
        assertEquals("anna", brief.path("username").asText());
        assertFalse(brief.has("access"), brief.toString());
        assertFalse(brief.has("realmRoles"), brief.toString());
    }

    @Test
    void configuredAccessRoleThroughAGroupMayListUsers() throws Exception {
        assertEquals(List.of("gina"), usernames(http().get("usersForRole/dispatch-app%2Flead", token("ivan"))));
    }

    @Test
    void callerWithoutViewUsersOrAccessRoleIsForbidden() throws Exception {
        http().get("usersForRole/dispatcher", token("anna")).assertError(403, "access_denied");
    }

    @Test
    void missingOrInvalidTokenIsUnauthorized() throws Exception {
        http().get("usersForRole/dispatcher", null).assertError(401, "invalid_token");
        http().get("usersForRole/dispatcher", "eyJhbGciOiJub25lIn0.e30.").assertError(401, "invalid_token");
    }

    @Test
    void unknownRoleIsNotFoundWithJsonError() throws Exception {
        String token = token("viewer");
        for (String role : List.of("no-such-role", "dispatch-app%2Fno-such-role", "no-such-client%2Foperator")) {
            http().get("usersForRole/" + role, token).assertError(404, "not_found");
        }
    }
}

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
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.RoleBuilder;

/**
 * openK's bearer routes accept only tokens of the login client and of the clients in {@code openk.accepted-clients};
 * usersForRole gives full, user-profile-filtered representations only to callers whom Keycloak's admin permissions let
 * view the user, and brief ones to holders of the access role alone.
 */
@KeycloakIntegrationTest
public class OpenkAudienceTest {

    static final String LISTED_APP = "listed-app";
    static final String OTHER_APP = "other-app";

    @InjectRealm(config = AudienceRealm.class)
    ManagedRealm realm;

    static class AudienceRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm
                    .attribute("openk.access-role", "portal-admin")
                    .attribute("openk.accepted-clients", LISTED_APP)
                    .clients(OpenkPortal.client(),
                            ClientBuilder.create(LISTED_APP).publicClient().directAccessGrantsEnabled(),
                            ClientBuilder.create(OTHER_APP).publicClient().directAccessGrantsEnabled(),
                            ClientBuilder.create("mod-dispatch").name("Dispatch").attribute("module.required-role", "dispatcher"))
                    .realmRoles(RoleBuilder.create("dispatcher"), RoleBuilder.create("portal-admin"))
                    .users(OpenkPortal.user("viewer").realmRoles("dispatcher").clientRoles("realm-management", "view-users"),
                            OpenkPortal.user("padmin").realmRoles("portal-admin"),
                            OpenkPortal.user("anna").realmRoles("dispatcher").attribute("internal-note", "on probation"));
        }
    }

    private String token(String clientId, String username) throws Exception {
        return Http.at(realm).resource("openk").accessToken(clientId, username, OpenkPortal.PASSWORD);
    }

    @Test
    void tokensOfAnotherClientAreRefusedOnUsersForRoleAndUserModules() throws Exception {
        Http http = Http.at(realm).resource("openk");
        String foreign = token(OTHER_APP, "viewer");
        http.get("usersForRole/dispatcher", foreign).assertError(401, "invalid_token");
        http.get("userModulesForUser", foreign).assertError(401, "invalid_token");

        for (String accepted : List.of(OpenkPortal.CLIENT, LISTED_APP)) {
            String token = token(accepted, "viewer");
            assertEquals(List.of("anna", "viewer"), http.get("usersForRole/dispatcher", token).fieldOfEach("username"));
            assertEquals(List.of("Dispatch"), http.get("userModulesForUser", token).fieldOfEach("name"));
        }
    }

    @Test
    void accessRoleAloneGetsBriefRepresentations() throws Exception {
        JsonNode users = Http.at(realm).resource("openk").get("usersForRole/dispatcher", token(OpenkPortal.CLIENT, "padmin")).json();
        assertEquals(2, users.size(), users.toString());
        for (JsonNode user : users) {
            assertTrue(user.has("username") && user.has("firstName") && user.has("email"), user.toString());
            for (String field : List.of("attributes", "access", "realmRoles", "requiredActions", "totp")) {
                assertFalse(user.has(field), "a caller without view rights sees " + field + ": " + user);
            }
        }
    }

    @Test
    void viewersGetTheUserProfilesViewOfTheUser() throws Exception {
        JsonNode anna = Http.at(realm).resource("openk").get("usersForRole/dispatcher?max=1", token(OpenkPortal.CLIENT, "viewer")).json().get(0);
        assertEquals("anna", anna.path("username").asText());
        assertTrue(anna.path("access").path("view").asBoolean(), anna.toString());
        // an attribute the user profile does not manage is not shown to admins (unmanaged attributes are disabled)
        assertFalse(anna.path("attributes").has("internal-note"), anna.toString());
    }
}

package dev.keybridge.it.openk;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** GET /userModulesForUser: the module clients whose required role the caller holds effectively, in order. */
@KeycloakIntegrationTest
public class OpenkUserModulesTest {

    @InjectRealm(config = ModulesRealm.class)
    ManagedRealm realm;

    public static class ModulesRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm
                    .clients(OpenkPortal.client(),
                            ClientBuilder.create("mod-dispatch").name("Dispatch").baseUrl("https://portal.example/dispatch")
                                    .attribute("module.required-role", "dispatcher")
                                    .attribute("module.cols", "2")
                                    .attribute("module.order", "2")
                                    .attribute("logoUri", "https://portal.example/dispatch.png"),
                            ClientBuilder.create("mod-planning").baseUrl("https://portal.example/planning")
                                    .attribute("module.required-role", "mod-planning/planner")
                                    .attribute("module.order", "1"),
                            ClientBuilder.create("mod-archive").name("Archive")
                                    .attribute("module.required-role", "archivist"),
                            ClientBuilder.create("mod-retired").name("Retired").enabled(false)
                                    .attribute("module.required-role", "dispatcher"),
                            ClientBuilder.create("not-a-module").name("Not a module"))
                    .realmRoles(RoleBuilder.create("dispatcher"), RoleBuilder.create("archivist"),
                            RoleBuilder.create("chief").composite(true).realmComposite("dispatcher"))
                    .clientRoles("mod-planning", RoleBuilder.create("planner"))
                    .groups(GroupBuilder.create("planning").clientRoles("mod-planning", "planner")
                            .subGroups(GroupBuilder.create("night-shift")))
                    .users(OpenkPortal.user("disa").realmRoles("dispatcher"),
                            OpenkPortal.user("paul").groups("/planning/night-shift"),
                            OpenkPortal.user("cora").realmRoles("chief").groups("/planning"),
                            OpenkPortal.user("nina"));
        }
    }

    private List<String> moduleNames(String username) throws Exception {
        Http http = Http.at(realm).resource("openk");
        return http.get("userModulesForUser",
                http.accessToken(OpenkPortal.CLIENT, username, OpenkPortal.PASSWORD)).fieldOfEach("name");
    }

    @Test
    void directRealmRoleGrantsItsModuleWithAllFields() throws Exception {
        Http http = Http.at(realm).resource("openk");
        JsonNode modules = http.get("userModulesForUser", http.accessToken(OpenkPortal.CLIENT, "disa", OpenkPortal.PASSWORD)).json();
        assertEquals(1, modules.size(), modules.toString());
        JsonNode dispatch = modules.get(0);
        assertEquals("Dispatch", dispatch.path("name").asText());
        assertEquals(2, dispatch.path("cols").asInt());
        assertEquals("https://portal.example/dispatch", dispatch.path("link").asText());
        assertEquals("https://portal.example/dispatch.png", dispatch.path("pictureLink").asText());
        assertEquals("dispatcher", dispatch.path("requiredRole").asText());
        assertEquals(5, dispatch.size(), "exactly name, cols, link, pictureLink, requiredRole: " + dispatch);
    }

    @Test
    void clientRoleThroughParentGroupGrantsModuleNamedByClientIdWithDefaultCols() throws Exception {
        Http http = Http.at(realm).resource("openk");
        JsonNode modules = http.get("userModulesForUser", http.accessToken(OpenkPortal.CLIENT, "paul", OpenkPortal.PASSWORD)).json();
        assertEquals(1, modules.size(), modules.toString());
        assertEquals("mod-planning", modules.get(0).path("name").asText());
        assertEquals(1, modules.get(0).path("cols").asInt());
        assertEquals("mod-planning/planner", modules.get(0).path("requiredRole").asText());
        // no Logo URL on that client: the field is there, null, as the portal expects all five
        assertTrue(modules.get(0).has("pictureLink") && modules.get(0).path("pictureLink").isNull(), modules.toString());
        assertEquals(5, modules.get(0).size(), modules.toString());
    }

    @Test
    void compositeRoleAndGroupTogetherGiveModulesInConfiguredOrderWithoutDisabledOnes() throws Exception {
        assertEquals(List.of("mod-planning", "Dispatch"), moduleNames("cora"));
    }

    @Test
    void userWithoutModuleRolesGetsEmptyList() throws Exception {
        assertEquals(List.of(), moduleNames("nina"));
    }

    @Test
    void noTokenIsUnauthorized() throws Exception {
        Http.at(realm).resource("openk").get("userModulesForUser", null).assertError(401, "invalid_token");
    }
}

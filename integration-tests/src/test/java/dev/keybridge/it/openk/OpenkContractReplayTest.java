package dev.keybridge.it.openk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.RoleBuilder;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * Rows of the openK table (docs/openk.md) replayed from the original document: the claims of the /login token and
 * the unhealthy healthcheck.
 */
@KeycloakIntegrationTest
class OpenkContractReplayTest {

    @InjectRealm(config = ReplayRealm.class)
    ManagedRealm realm;

    static class ReplayRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.realmRoles(RoleBuilder.create("planning-user"))
                    .clients(OpenkPortal.client())
                    .users(UserBuilder.create("hugo").name("Hugo", "Boss").email("hugo@example.org").emailVerified(true)
                            .password(OpenkPortal.PASSWORD).realmRoles("planning-user"));
        }
    }

    private Http http() {
        return Http.at(realm).resource("openk");
    }

    /** The document: roles in {@code realm_access}, user data in {@code name}, {@code preferred_username}, {@code given_name}, {@code family_name}. */
    @Test
    void loginTokenCarriesTheDocumentedRoleAndUserClaims() throws Exception {
        Http.Response response = http().postJson("login",
                "{\"userName\":\"hugo\",\"password\":\"" + OpenkPortal.PASSWORD + "\"}");
        assertEquals(200, response.status(), response.body());
        JsonNode claims = Jwt.claims(response.json().path("access_token").asText());
        List<String> roles = new ArrayList<>();
        claims.path("realm_access").path("roles").forEach(role -> roles.add(role.asText()));
        assertTrue(roles.contains("planning-user"), claims.toString());
        assertEquals("Hugo Boss", claims.path("name").asText(), claims.toString());
        assertEquals("hugo", claims.path("preferred_username").asText(), claims.toString());
        assertEquals("Hugo", claims.path("given_name").asText(), claims.toString());
        assertEquals("Boss", claims.path("family_name").asText(), claims.toString());
    }

    /** The document: when not healthy, {@code "Keycloak present"} with a {@code "message"}; a disabled realm is not healthy. */
    @Test
    void disabledRealmIsUnhealthyWithAMessage() throws Exception {
        setRealmEnabled(false);
        try {
            for (String path : List.of("healthcheck", "healthcheck?pretty=true", "healthcheck/pretty=true")) {
                Http.Response response = http().get(path, null);
                assertEquals(503, response.status(), path + ": " + response.body());
                JsonNode state = response.json();
                assertEquals(List.of("Keycloak present"), Http.fieldNames(state), response.body());
                assertEquals(false, state.path("Keycloak present").path("healthy").asBoolean(true), response.body());
                assertEquals("Realm " + realm.getName() + " is disabled", state.path("Keycloak present").path("message").asText(), response.body());
            }
        } finally {
            setRealmEnabled(true);
        }
        Http.Response healthy = http().get("healthcheck", null);
        assertEquals(200, healthy.status(), healthy.body());
        assertEquals("{\"Keycloak present\":{\"healthy\":true}}", healthy.body());
    }

    private void setRealmEnabled(boolean enabled) {
        RealmRepresentation rep = realm.admin().toRepresentation();
        rep.setEnabled(enabled);
        realm.admin().update(rep);
    }
}

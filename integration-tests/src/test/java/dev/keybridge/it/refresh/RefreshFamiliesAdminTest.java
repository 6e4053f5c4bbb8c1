package dev.keybridge.it.refresh;

import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.LEEWAY_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.PASSWORD;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.STRICT_APP;
import static dev.keybridge.it.refresh.RotatingRefreshTokenRealm.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

/** The admin REST extension refresh-token-families: what an admin sees of a user's chains, and revoking one. */
@KeycloakIntegrationTest
class RefreshFamiliesAdminTest {

    @InjectRealm(config = RotatingRefreshTokenRealm.class)
    ManagedRealm realm;

    @InjectAdminClient
    Keycloak admin;

    @Test
    void anAdminSeesTheChainOfEachClientAndRevokesOne() throws Exception {
        Http oidc = Http.session(realm.getBaseUrl());
        Http.Response leeway = oidc.passwordGrant(LEEWAY_APP, USER, PASSWORD, "openid");
        Http.Response strict = oidc.passwordGrant(STRICT_APP, USER, PASSWORD, "openid");
        Http.Response leewayRotated = oidc.refresh(LEEWAY_APP, leeway.refreshToken());
        Http.Response strictRotated = oidc.refresh(STRICT_APP, strict.refreshToken());
        assertEquals(200, strictRotated.status(), () -> strictRotated.body().toString());
        oidc.refresh(STRICT_APP, strictRotated.refreshToken());

        JsonNode families = send("GET", userId(), "", adminToken(), 200).json();
        assertEquals(2, families.size(), families::toString);
        JsonNode strictFamily = family(families, STRICT_APP.clientId());
        assertEquals(Jwt.claims(strictRotated.refreshToken()).path("kb_rrt_chain").asText(), strictFamily.path("family").asText());
        assertEquals(2, strictFamily.path("generation").asInt());
        assertEquals("active", strictFamily.path("state").asText());
        assertEquals(strict.sessionId(), strictFamily.path("sessionId").asText());
        assertEquals(1, family(families, LEEWAY_APP.clientId()).path("generation").asInt());

        send("DELETE", userId() + "/families/" + strictFamily.path("family").asText(), "", adminToken(), 204);

        JsonNode after = send("GET", userId(), "", adminToken(), 200).json();
        assertEquals(1, after.size(), after::toString);
        assertEquals(LEEWAY_APP.clientId(), after.path(0).path("clientId").asText());
        Http.Response revoked = oidc.refresh(STRICT_APP, strictRotated.refreshToken());
        assertEquals(400, revoked.status(), () -> revoked.body().toString());
        assertEquals(200, oidc.refresh(LEEWAY_APP, leewayRotated.refreshToken()).status(), "the other client's family stays");
    }

    @Test
    void aUserWithoutAdminRightsIsRefusedAndUnknownFamiliesAreNotFound() throws Exception {
        Http oidc = Http.session(realm.getBaseUrl());
        String userToken = oidc.passwordGrant(STRICT_APP, USER, PASSWORD, "openid").accessToken();
        send("GET", userId(), "", userToken, 403);
        send("DELETE", userId() + "/families/whatever", "", userToken, 403);
        send("DELETE", userId() + "/families/no-such-family", "", adminToken(), 404);
        send("DELETE", userId() + "/families/no-such-family", "?scope=everything", adminToken(), 400);
        send("GET", "no-such-user", "", adminToken(), 404);
    }

    private static JsonNode family(JsonNode families, String clientId) {
        for (JsonNode family : families) {
            if (clientId.equals(family.path("clientId").asText())) {
                return family;
            }
        }
        throw new AssertionError("no family of " + clientId + " in " + families);
    }

    private String userId() {
        return realm.admin().users().search(USER).get(0).getId();
    }

    private String adminToken() {
        return admin.tokenManager().getAccessTokenString();
    }

    private Http.Response send(String method, String path, String query, String bearer, int expectedStatus) {
        String url = realm.getBaseUrl().replace("/realms/", "/admin/realms/") + "/refresh-token-families/users/" + path + query;
        Http.Response response = Http.plain().send(method, url, null, Map.of("Authorization", "Bearer " + bearer));
        assertEquals(expectedStatus, response.status(), () -> method + " " + url + ": " + response.body());
        if (expectedStatus >= 400) {
            assertTrue(response.body().isEmpty() || response.body().startsWith("{"), response.body());
        }
        return response;
    }
}

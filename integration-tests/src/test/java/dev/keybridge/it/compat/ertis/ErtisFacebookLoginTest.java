package dev.keybridge.it.compat.ertis;

import static dev.keybridge.it.compat.ertis.ErtisTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.it.brokers.BrokerRealm;
import dev.keybridge.it.brokers.FakeGraph;
import dev.keybridge.it.brokers.FakeProvider;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * ErtisAuth's Facebook login ({@code POST /api/v1/oauth/facebook/login}) through native sign-in with the "facebook" IdP:
 * the Facebook SDK's user payload with a classic access token (checked with the local Graph API) or a Limited Login
 * authentication token; the body's own claims about the user are never used, and every refusal answers in ErtisAuth's
 * error shape without creating anyone.
 */
@KeycloakIntegrationTest
class ErtisFacebookLoginTest {

    private static final FakeGraph GRAPH = FakeGraph.named("graph-ertis");

    @InjectRealm(config = FacebookMembership.class)
    ManagedRealm realm;

    static class FacebookMembership implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.eventsEnabled(true)
                    .clients(ClientBuilder.create(ErtisTest.CLIENT).publicClient()
                            .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "facebook"))
                    .identityProviders(BrokerRealm.facebookIdp("facebook", GRAPH, Map.of()))
                    .update(BrokerRealm::namesAndEmailOptional);
        }
    }

    private Http.Response login(Object body) throws Exception {
        return Http.at(realm).resource("ertis").send("POST", "api/v1/oauth/facebook/login", Http.toJson(body),
                Map.of("Content-Type", "application/json", "X-Ertis-Alias", realm.getName(),
                        "X-IpAddress", "203.0.113.9", "X-UserAgent", "ErtisClient/1.0"));
    }

    /** The Facebook SDK's user payload as the app sends it, with name, email and picture it could have made up. */
    private static Map<String, Object> payload(String userId, String accessToken, String appId) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", userId);
        user.put("userID", userId);
        user.put("accessToken", accessToken);
        user.put("name", "Mallory Forged");
        user.put("email", "mallory@example.org");
        user.put("picture", Map.of("data", Map.of("url", "https://example.org/p.png", "is_silhouette", false)));
        return Map.of("user", user, "appId", appId);
    }

    private String loggedInUser(Http.Response response) throws Exception {
        assertEquals(201, response.status(), response.body());
        JsonNode body = response.json();
        assertEquals("bearer", body.path("token_type").asText());
        JsonNode claims = Jwt.claims(body.path("access_token").asText());
        assertEquals(ErtisTest.CLIENT, claims.path("azp").asText());
        Http.Response me = Http.at(realm).resource("ertis").send("GET", "api/v1/me", null,
                Map.of("Authorization", "Bearer " + body.path("access_token").asText()));
        assertEquals(200, me.status(), "the token is usable: " + me.body());
        return claims.path("sub").asText();
    }

    @Test
    void facebookLoginCreatesTheGraphUserThenSignsItInAgain() throws Exception {
        String token = GRAPH.userToken("fb-ertis-1", "Fiona", "Book", "fiona@example.org");
        String first = loggedInUser(login(payload("fb-ertis-1", token, FakeGraph.APP_ID)));
        UserRepresentation fiona = realm.admin().users().get(first).toRepresentation();
        assertEquals("fiona@example.org", fiona.getEmail(), "the email is Graph's, not the body's");
        assertEquals("Fiona", fiona.getFirstName());
        assertEquals(List.of(), realm.admin().users().searchByEmail("mallory@example.org", true));
        assertEquals(List.of("facebook:fb-ertis-1"), realm.admin().users().get(first).getFederatedIdentity().stream()
                .map(link -> link.getIdentityProvider() + ":" + link.getUserId()).toList());

        assertEquals(first, loggedInUser(login(payload("fb-ertis-1", token, FakeGraph.APP_ID))), "the second login finds the linked user");
        assertTrue(GRAPH.requests().stream().anyMatch(r -> "/me".equals(r.path()) && r.query().containsKey("appsecret_proof")));
        assertEquals(List.of(), GRAPH.problems());

        Map<String, Object> claims = FakeProvider.facebook().claims("fb-ertis-ll-1", FakeGraph.APP_ID);
        claims.put("email", "limited@example.org");
        String limited = loggedInUser(login(Map.of("user", Map.of("userID", "fb-ertis-ll-1",
                "authenticationToken", FakeProvider.facebook().sign(claims)), "appId", FakeGraph.APP_ID)));
        assertEquals("limited@example.org", realm.admin().users().get(limited).toRepresentation().getEmail());
    }

    @Test
    void tokensNotOfThisAppAndUserAreRefusedInErtisShape() throws Exception {
        long now = Instant.now().getEpochSecond();
        String otherApp = GRAPH.token("999000999", "fb-ertis-666", "USER", now + 3600);
        Http.Response substituted = login(payload("fb-ertis-666", otherApp, FakeGraph.APP_ID));
        assertError(substituted, 401, "Unauthorized");
        assertTrue(substituted.body().contains("issued to app '999000999'"), substituted.body());
        assertError(login(payload("fb-ertis-666", "EAAnotatokenFacebookIssued", FakeGraph.APP_ID)), 401, "Unauthorized");
        assertError(login(payload("fb-ertis-666", GRAPH.token(FakeGraph.APP_ID, "fb-ertis-666", "USER", now - 60), FakeGraph.APP_ID)),
                401, "Unauthorized");
        Http.Response otherUser = login(payload("fb-ertis-1", GRAPH.userToken("fb-ertis-666", "Eve", "Il", "eve@example.org"),
                FakeGraph.APP_ID));
        assertError(otherUser, 401, "Unauthorized");
        assertTrue(otherUser.body().contains("another user"), otherUser.body());

        Http.Response wrongApp = login(payload("fb-ertis-666", GRAPH.userToken("fb-ertis-666", "Eve", "Il", "eve@example.org"),
                "999000999"));
        assertError(wrongApp, 401, "Unauthorized");
        assertTrue(wrongApp.body().contains("appId '999000999'"), wrongApp.body());
        List<EventRepresentation> loginErrors = realm.admin().getEvents(List.of("LOGIN_ERROR"), null, null, null, null, null, 0, 500);
        assertTrue(loginErrors.stream().anyMatch(e -> e.getDetails().get("reason").contains("appId '999000999'")), "appId mismatch event");
        assertTrue(loginErrors.stream().anyMatch(e -> "invalid_token".equals(e.getError())
                && e.getDetails().get("reason").contains("issued to app '999000999'")), "token substitution event");

        Map<String, Object> claims = FakeProvider.facebook().claims("fb-ertis-666", "999000999");
        assertError(login(Map.of("user", Map.of("authenticationToken", FakeProvider.facebook().sign(claims)), "appId", FakeGraph.APP_ID)),
                401, "Unauthorized");
        assertEquals(List.of(), realm.admin().users().searchByEmail("eve@example.org", true));
        assertEquals(List.of(), realm.admin().users().search("fb-ertis-666", 0, 10));
    }

    @Test
    void malformedRequestsAndAFailingGraphAreClearRefusals() throws Exception {
        assertError(login(Map.of("user", Map.of("userID", "fb-ertis-2"), "appId", FakeGraph.APP_ID)), 400, "ModelValidationError");
        assertError(login(Map.of("appId", FakeGraph.APP_ID)), 400, "ModelValidationError");
        assertError(login(Map.of("user", Map.of("accessToken", 42), "appId", FakeGraph.APP_ID)), 400, "ModelValidationError");
        String token = GRAPH.userToken("fb-ertis-2", "Gil", "Down", "gil@example.org");
        assertError(login(Map.of("user", Map.of("accessToken", token))), 400, "ModelValidationError");
        assertError(login(Map.of("user", Map.of("accessToken", token, "id", "fb-ertis-2", "userID", "fb-ertis-3"), "appId", FakeGraph.APP_ID)),
                400, "ModelValidationError");
        assertError(Http.at(realm).resource("ertis").postJson("api/v1/oauth/facebook/login",
                Http.toJson(payload("fb-ertis-2", token, FakeGraph.APP_ID))), 400, "XErtisAliasMissing", true);
        try {
            GRAPH.down(true);
            Http.Response down = login(payload("fb-ertis-2", token, FakeGraph.APP_ID));
            assertError(down, 401, "Unauthorized");
            assertTrue(down.body().contains("could not be checked"), down.body());
        } finally {
            GRAPH.down(false);
        }
        assertEquals(List.of(), realm.admin().users().searchByEmail("gil@example.org", true));
        loggedInUser(login(payload("fb-ertis-2", token, FakeGraph.APP_ID)));
    }
}

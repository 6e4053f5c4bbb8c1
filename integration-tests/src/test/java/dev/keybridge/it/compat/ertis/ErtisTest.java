package dev.keybridge.it.compat.ertis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * The ErtisAuth token API: the reference document's requests replayed (generate-token, me, whoami, verify-token,
 * refresh-token, revoke-token, healthcheck), then its error catalog and hostile input, never a 500.
 */
@KeycloakIntegrationTest
class ErtisTest {

    static final String CLIENT = "ertis";
    static final String PASSWORD = "ertis-pass-1";

    @InjectRealm(config = MembershipRealm.class)
    ManagedRealm realm;

    @InjectRealm(ref = "short-lived", config = ShortLivedRealm.class)
    ManagedRealm shortLived;

    static class MembershipRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.revokeRefreshToken(true)
                    .refreshTokenMaxReuse(0)
                    .clients(ClientBuilder.create(CLIENT).publicClient().directAccessGrantsEnabled(),
                            ClientBuilder.create("other-app").publicClient().directAccessGrantsEnabled(),
                            ClientBuilder.create("backend").secret("backend-secret").attribute("role", "server"))
                    .users(UserBuilder.create("ertugrul").email("ertugrul@example.com").name("Ertugrul", "Ozcan")
                                    .password(PASSWORD).attribute("role", "admin"),
                            UserBuilder.create("sleeper").email("sleeper@example.com").password(PASSWORD).enabled(false));
        }
    }

    /** Access tokens live 1 s and sessions idle out after 2 s; refresh tokens are not rotated. */
    static class ShortLivedRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.accessTokenLifespan(1)
                    .ssoSessionIdleTimeout(2)
                    .clients(ClientBuilder.create(CLIENT).publicClient().directAccessGrantsEnabled())
                    .users(UserBuilder.create("quick").email("quick@example.com").name("Quick", "Tester").password(PASSWORD));
        }
    }

    private Http http() {
        return Http.at(realm).resource("ertis");
    }

    private Http.Response generateToken(ManagedRealm membership, String username, String password) throws Exception {
        return Http.at(membership).resource("ertis").send("POST", "api/v1/generate-token",
                Http.toJson(Map.of("username", username, "password", password)),
                Map.of("Content-Type", "application/json", "X-Ertis-Alias", membership.getName(),
                        "X-IpAddress", "203.0.113.7", "X-UserAgent", "ErtisClient/1.0"));
    }

    private JsonNode tokens(ManagedRealm membership, String username) throws Exception {
        Http.Response response = generateToken(membership, username, PASSWORD);
        assertEquals(201, response.status(), response.body());
        return response.json();
    }

    private Http.Response get(String path, String authorization) throws Exception {
        return http().send("GET", path, null, authorization == null ? Map.of() : Map.of("Authorization", authorization));
    }

    /** ErtisAuth's error body: PascalCase from its exception handler, camelCase for controller results. */
    static void assertError(Http.Response response, int status, String code, boolean camelCase) throws Exception {
        assertEquals(status, response.status(), response.body());
        JsonNode body = response.json();
        List<String> names = Http.fieldNames(body);
        assertEquals(camelCase ? List.of("message", "errorCode", "statusCode") : List.of("Message", "ErrorCode", "StatusCode"), names);
        assertEquals(code, body.path(camelCase ? "errorCode" : "ErrorCode").asText());
        assertEquals(status, body.path(camelCase ? "statusCode" : "StatusCode").asInt());
        assertTrue(!body.path(camelCase ? "message" : "Message").asText().isBlank(), response.body());
    }

    static void assertError(Http.Response response, int status, String code) throws Exception {
        assertError(response, status, code, false);
    }

    @Test
    void generateTokenGivesTheDocumentedFieldsAndAKeycloakToken() throws Exception {
        JsonNode body = tokens(realm, "ertugrul");
        List<String> names = Http.fieldNames(body);
        assertEquals(List.of("token_type", "refresh_token", "refresh_token_expires_in", "access_token", "expires_in", "created_at"), names);
        assertEquals("bearer", body.path("token_type").asText());
        assertTrue(body.path("expires_in").asLong() > 0 && body.path("refresh_token_expires_in").asLong() > 0, body.toString());
        OffsetDateTime.parse(body.path("created_at").asText());
        JsonNode claims = Jwt.claims(body.path("access_token").asText());
        assertEquals(CLIENT, claims.path("azp").asText());
        assertEquals(realm.getBaseUrl(), claims.path("iss").asText());
        String userId = realm.admin().users().search("ertugrul", true).get(0).getId();
        assertEquals(userId, claims.path("sub").asText());
        // the original accepts the email address as username
        assertEquals(201, generateToken(realm, "ertugrul@example.com", PASSWORD).status());
    }

    @Test
    void meWhoamiAndVerifyDescribeTheTokenOwner() throws Exception {
        JsonNode tokens = tokens(realm, "ertugrul");
        String bearer = "Bearer " + tokens.path("access_token").asText();
        String userId = realm.admin().users().search("ertugrul", true).get(0).getId();

        JsonNode me = get("api/v1/me", bearer).json();
        assertEquals(userId, me.path("_id").asText());
        assertEquals("ertugrul", me.path("username").asText());
        assertEquals("Ertugrul", me.path("firstname").asText());
        assertEquals("Ozcan", me.path("lastname").asText());
        assertEquals("ertugrul@example.com", me.path("email_address").asText());
        assertEquals("admin", me.path("role").asText());
        assertEquals(realm.getName(), me.path("membership_id").asText());
        assertTrue(me.path("permissions").isArray() && me.path("forbidden").isArray(), me.toString());

        JsonNode whoami = get("api/v1/whoami", bearer).json();
        assertEquals(userId, whoami.path("_id").asText());
        assertEquals("user", whoami.path("type").asText());

        JsonNode verified = get("api/v1/verify-token", bearer).json();
        assertTrue(verified.path("verified").asBoolean(), verified.toString());
        assertEquals(tokens.path("access_token").asText(), verified.path("token").asText());
        assertEquals("access_token", verified.path("token_kind").asText());
        long remaining = verified.path("remaining_time").asLong();
        assertTrue(remaining > 0 && remaining <= tokens.path("expires_in").asLong(), verified.toString());

        Http.Response refreshVerified = http().postJson("api/v1/verify-token",
                Http.toJson(Map.of("token", "Bearer " + tokens.path("refresh_token").asText())));
        assertEquals(200, refreshVerified.status(), refreshVerified.body());
        assertEquals("refresh_token", refreshVerified.json().path("token_kind").asText());
    }

    @Test
    void refreshRotatesAndRevokeEndsTheSession() throws Exception {
        JsonNode first = tokens(realm, "ertugrul");
        String firstRefresh = first.path("refresh_token").asText();
        Http.Response refreshed = get("api/v1/refresh-token?revoke=false", "Bearer " + firstRefresh);
        assertEquals(201, refreshed.status(), refreshed.body());
        JsonNode second = refreshed.json();
        assertNotEquals(firstRefresh, second.path("refresh_token").asText());
        assertEquals("bearer", second.path("token_type").asText());
        // the used refresh token is spent whatever ?revoke= says, and its reuse ends the family (theft detection)
        assertError(http().postJson("api/v1/refresh-token", Http.toJson(Map.of("token", firstRefresh))), 401, "RefreshTokenWasRevoked");
        assertError(get("api/v1/me", "Bearer " + second.path("access_token").asText()), 401, "TokenWasRevoked");

        JsonNode fresh = tokens(realm, "ertugrul");
        String access = fresh.path("access_token").asText();
        Http.Response revoked = http().postJson("api/v1/revoke-token", Http.toJson(Map.of("token", "Bearer " + access)));
        assertEquals(204, revoked.status(), revoked.body());
        assertError(get("api/v1/me", "Bearer " + access), 401, "TokenWasRevoked");
        assertError(get("api/v1/refresh-token", "Bearer " + fresh.path("refresh_token").asText()), 401, "RefreshTokenWasRevoked");
        Http.Response again = get("api/v1/revoke-token", "Bearer " + access);
        assertEquals(401, again.status());
        assertEquals("", again.body());
    }

    @Test
    void logoutAllEndsEverySessionOfTheUser() throws Exception {
        realm.addUser(UserBuilder.create("multi").email("multi@example.com").name("Multi", "Tester").password(PASSWORD));
        String phone = tokens(realm, "multi").path("access_token").asText();
        String laptop = tokens(realm, "multi").path("access_token").asText();
        String userId = realm.admin().users().search("multi", true).get(0).getId();
        assertEquals(2, realm.admin().users().get(userId).getUserSessions().size());
        assertEquals(204, get("api/v1/revoke-token?logout-all=true", "Bearer " + phone).status());
        assertEquals(0, realm.admin().users().get(userId).getUserSessions().size());
        assertError(get("api/v1/whoami", "Bearer " + laptop), 401, "TokenWasRevoked");
    }

    @Test
    void applicationsAuthenticateWithTheRawBasicScheme() throws Exception {
        JsonNode app = get("api/v1/whoami", "Basic backend:backend-secret").json();
        assertEquals("backend", app.path("name").asText());
        assertEquals("application", app.path("type").asText());
        assertEquals("server", app.path("role").asText());
        String encoded = Base64.getEncoder().encodeToString("backend:backend-secret".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, get("api/v1/me", "Basic " + encoded).status());
        assertError(get("api/v1/whoami", "Basic backend:wrong"), 401, "ApplicationSecretMismatch");
        assertError(get("api/v1/whoami", "Basic ertis:anything"), 401, "ApplicationSecretMismatch");
        assertError(get("api/v1/whoami", "Basic nobody:secret"), 404, "ApplicationNotFound");
        assertError(get("api/v1/verify-token", "Basic backend:backend-secret"), 400, "BearerTokenRequired");
    }

    @Test
    void errorCatalog() throws Exception {
        Http http = http();
        String login = Http.toJson(Map.of("username", "ertugrul", "password", PASSWORD));
        assertError(http.postJson("api/v1/generate-token", login), 400, "XErtisAliasMissing", true);
        assertError(http.send("POST", "api/v1/generate-token", login,
                Map.of("Content-Type", "application/json", "X-Ertis-Alias", "another-membership")), 404, "MembershipNotFound");
        assertError(generateToken(realm, "ertugrul", "wrong"), 401, "UsernameOrPasswordIsWrong");
        assertError(generateToken(realm, "nobody", PASSWORD), 401, "UsernameOrPasswordIsWrong");
        assertError(generateToken(realm, "sleeper", PASSWORD), 401, "UserInactive");

        assertError(get("api/v1/me", null), 400, "AuthorizationHeaderMissing");
        assertError(get("api/v1/whoami", "Token abc"), 400, "TokenTypeNotSupported");
        assertError(get("api/v1/me", "Bearer"), 400, "TokenTypeNotSupported");
        assertError(get("api/v1/me", "Bearer not.a.jwt"), 401, "InvalidToken");
        assertError(get("api/v1/verify-token", null), 400, "AuthorizationHeaderMissing");

        JsonNode own = tokens(realm, "ertugrul");
        assertError(get("api/v1/me", "Bearer " + own.path("refresh_token").asText()), 401, "InvalidToken");
        assertError(get("api/v1/refresh-token", "Bearer " + own.path("access_token").asText()), 401, "TokenIsNotRefreshable");
        String otherClient = http.passwordGrant("other-app", "ertugrul", PASSWORD).requireOk().json().path("access_token").asText();
        assertError(get("api/v1/me", "Bearer " + otherClient), 401, "InvalidToken");
        String otherRealm = tokens(shortLived, "quick").path("access_token").asText();
        assertError(get("api/v1/verify-token", "Bearer " + otherRealm), 401, "InvalidToken");
        Http.Response revokeGarbage = http.send("GET", "api/v1/revoke-token", null, Map.of("Authorization", "Bearer garbage"));
        assertEquals(401, revokeGarbage.status());
        assertEquals("", revokeGarbage.body());
    }

    @Test
    void expiredTokensAndANonRotatingRealm() throws Exception {
        Http shortHttp = Http.at(shortLived).resource("ertis");
        JsonNode tokens = tokens(shortLived, "quick");
        assertError(shortHttp.send("GET", "api/v1/refresh-token", null, Map.of("Authorization", "Bearer " + tokens.path("refresh_token").asText())),
                401, "TokenIsNotRefreshable");
        Thread.sleep(3000);
        assertError(shortHttp.send("GET", "api/v1/me", null, Map.of("Authorization", "Bearer " + tokens.path("access_token").asText())),
                401, "TokenWasExpired");
        assertError(shortHttp.postJson("api/v1/verify-token", Http.toJson(Map.of("token", tokens.path("refresh_token").asText()))),
                401, "RefreshTokenWasExpired");
        assertError(shortHttp.send("GET", "api/v1/refresh-token", null, Map.of("Authorization", "Bearer " + tokens.path("refresh_token").asText())),
                401, "RefreshTokenWasExpired");
    }

    @Test
    void healthcheckAndHostileInput() throws Exception {
        Http.Response health = get("api/v1/healthcheck", null);
        assertEquals(200, health.status());
        assertEquals("Healthy", health.json().path("status").asText());

        Map<String, String> alias = new HashMap<>(Map.of("X-Ertis-Alias", realm.getName(), "Content-Type", "application/json"));
        Http http = http();
        assertError(http.send("POST", "api/v1/generate-token", "{\"username\":", alias), 400, "ModelValidationError");
        assertError(http.send("POST", "api/v1/generate-token", "[]", alias), 400, "ModelValidationError");
        assertError(http.send("POST", "api/v1/generate-token", "{\"username\":\"ertugrul\"}", alias), 400, "ModelValidationError");
        assertError(http.send("POST", "api/v1/generate-token", "{\"username\":\"" + "u".repeat(1024 * 1024) + "\"}", alias),
                400, "ModelValidationError");
        alias.put("Content-Type", "application/x-www-form-urlencoded");
        assertError(http.send("POST", "api/v1/generate-token", "username=ertugrul&password=x", alias), 400, "ModelValidationError");
        assertError(http.postJson("api/v1/verify-token", "{\"token\":"), 400, "ModelValidationError");
        assertError(http.postJson("api/v1/verify-token", "{}"), 400, "AuthorizationHeaderMissing");
        assertError(http.postJson("api/v1/refresh-token", "{\"token\":\"Basic a:b\"}"), 400, "BearerTokenRequired");
        alias.put("X-IpAddress", "9".repeat(600));
        alias.put("Content-Type", "application/json");
        assertError(http.send("POST", "api/v1/generate-token", Http.toJson(Map.of("username", "ertugrul", "password", PASSWORD)), alias),
                400, "ModelValidationError");
    }
}

package dev.keybridge.it.compat.watcherex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.compat.CompatRealms;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.RoleBuilder;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * The WatcherEx API: the reference document's token requests (JSON and form, client secret and RS256 client
 * assertion, password / refresh_token / client_credentials), revoke, the admin session logouts and user creation,
 * with WatcherEx's {@code {status, error, detail}} errors and its inverted 401/403.
 */
@KeycloakIntegrationTest
public class WatcherExTest {

    public static final String TOKEN = "api/v1/auth/protocol/openid-connect/token";
    static final String PASSWORD = "wx-pass-123";
    public static final KeyPair ASSERTION_KEY = rsaKeyPair();

    @InjectRealm(config = WatcherRealm.class)
    ManagedRealm realm;

    static class WatcherRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            // deliberate change (issue 15): the admin routes accept only tokens of WatcherEx's clients, listed here, and
            // creating users takes the admin permission to manage users, as the admin console would
            return CompatRealms.withoutVerifyProfile(realm).revokeRefreshToken(true)
                    .refreshTokenMaxReuse(0)
                    .attribute("watcherex.accepted-clients", "wx-public")
                    .realmRoles(RoleBuilder.create("watcherex-admin"), RoleBuilder.create("reader"))
                    .clients(ClientBuilder.create("wx-app").secret("wx-secret").directAccessGrantsEnabled().serviceAccountsEnabled()
                                    .defaultClientScopes("basic", "profile", "email", "roles", "web-origins", "acr")
                                    .optionalClientScopes("phone", "address"),
                            ClientBuilder.create("wx-public").publicClient().directAccessGrantsEnabled(),
                            ClientBuilder.create("wx-signed").authenticatorType("client-jwt").serviceAccountsEnabled()
                                    .directAccessGrantsEnabled()
                                    .attribute("use.jwks.string", "true")
                                    .attribute("jwks.string", jwks((RSAPublicKey) ASSERTION_KEY.getPublic())))
                    .users(UserBuilder.create("admin1").password(PASSWORD).realmRoles("watcherex-admin")
                                    .clientRoles("realm-management", "manage-users"),
                            UserBuilder.create("plain").password(PASSWORD));
        }
    }

    @InjectRealm(ref = "short-lived", config = ShortLivedRealm.class)
    ManagedRealm shortLived;

    static class ShortLivedRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return CompatRealms.shortLived(realm).attribute("watcherex.accepted-clients", "wx-public")
                    .realmRoles(RoleBuilder.create("watcherex-admin"))
                    .clients(ClientBuilder.create("wx-public").publicClient().directAccessGrantsEnabled())
                    .users(UserBuilder.create("admin1").password(PASSWORD).realmRoles("watcherex-admin"));
        }
    }

    private Http http() {
        return Http.at(realm).resource("watcherex");
    }

    private Http.Response token(Map<String, String> params) throws Exception {
        return http().postJson(TOKEN, Http.toJson(params));
    }

    private JsonNode tokens(Map<String, String> params) throws Exception {
        Http.Response response = token(params);
        assertEquals(200, response.status(), response.body());
        JsonNode body = response.json();
        List<String> names = Http.fieldNames(body);
        assertEquals(List.of("access_token", "refresh_token", "expires_in", "token_type"), names);
        assertEquals("Bearer", body.path("token_type").asText());
        return body;
    }

    private JsonNode login(String username) throws Exception {
        return tokens(Map.of("grant_type", "password", "client_id", "wx-public", "username", username, "password", PASSWORD));
    }

    public static void assertError(Http.Response response, int status, String error) throws Exception {
        assertEquals(status, response.status(), response.body());
        JsonNode body = response.json();
        assertEquals(status, body.path("status").asInt(), response.body());
        assertEquals(error, body.path("error").asText(), response.body());
        assertTrue(body.path("detail").isTextual(), response.body());
    }

    @Test
    void passwordGrantWithClientSecretInJsonAndFormAndScopes() throws Exception {
        JsonNode json = tokens(Map.of("grant_type", "password", "client_id", "wx-app", "client_secret", "wx-secret",
                "username", "plain", "password", PASSWORD, "scope", "phone address"));
        JsonNode claims = Jwt.claims(json.path("access_token").asText());
        assertEquals("wx-app", claims.path("azp").asText());
        assertTrue(claims.path("scope").asText().contains("phone") && claims.path("scope").asText().contains("address"), claims.toString());
        assertTrue(json.path("expires_in").asLong() > 0);

        Http.Response form = http().send("POST", TOKEN,
                "grant_type=password&client_id=wx-app&client_secret=wx-secret&username=plain&password=" + PASSWORD,
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(200, form.status(), form.body());
    }

    @Test
    void clientCredentialsBySecretAndBySignedAssertion() throws Exception {
        JsonNode bySecret = tokens(Map.of("grant_type", "client_credentials", "client_id", "wx-app", "client_secret", "wx-secret"));
        assertEquals("wx-app", Jwt.claims(bySecret.path("access_token").asText()).path("azp").asText());
        assertTrue(bySecret.path("refresh_token").isNull(), bySecret.toString());

        // the README's assertion without client_assertion_type, audience Keycloak's issuer
        JsonNode byAssertion = tokens(Map.of("grant_type", "client_credentials", "client_id", "wx-signed",
                "client_assertion", assertion("wx-signed", realm.getBaseUrl())));
        assertEquals("wx-signed", Jwt.claims(byAssertion.path("access_token").asText()).path("azp").asText());
        assertError(token(Map.of("grant_type", "client_credentials", "client_id", "wx-signed",
                "client_assertion", assertion("wx-signed", "https://elsewhere.example"))), 403, "unauthenticated");
    }

    @Test
    void clientAssertionWithWatcherExsAudienceGoesThroughKeycloaksSignedJwtChecks() throws Exception {
        // the audience WatcherEx's clients were built with (its ClientAssertion token config)
        JsonNode legacy = tokens(Map.of("grant_type", "client_credentials", "client_id", "wx-signed",
                "client_assertion", assertion("wx-signed", "WatcherEx")));
        assertEquals("wx-signed", Jwt.claims(legacy.path("access_token").asText()).path("azp").asText());
        // Keycloak's token endpoint as audience, and the form encoding with client_assertion_type
        Http.Response form = http().send("POST", TOKEN, "grant_type=client_credentials&client_id=wx-signed"
                        + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion="
                        + assertion("wx-signed", realm.getBaseUrl() + "/protocol/openid-connect/token"),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(200, form.status(), form.body());

        // password and refresh_token grants of a client authenticated by a WatcherEx-audience assertion
        JsonNode login = tokens(Map.of("grant_type", "password", "client_id", "wx-signed", "username", "plain", "password", PASSWORD,
                "client_assertion", assertion("wx-signed", "WatcherEx")));
        JsonNode refreshed = tokens(Map.of("grant_type", "refresh_token", "refresh_token", login.path("refresh_token").asText(),
                "client_id", "wx-signed", "client_assertion", assertion("wx-signed", "WatcherEx")));
        assertEquals("wx-signed", Jwt.claims(refreshed.path("access_token").asText()).path("azp").asText());

        // as the README's Joken call signs it: no sub, two hours
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> readme = Map.of("iss", "wx-signed", "aud", "WatcherEx", "typ", "Bearer",
                "jti", UUID.randomUUID().toString(), "iat", now, "nbf", now, "exp", now + 7200);
        tokens(Map.of("grant_type", "client_credentials", "client_id", "wx-signed", "client_assertion", signed(ASSERTION_KEY.getPrivate(), readme)));
        Map<String, Object> otherSubject = new HashMap<>(readme);
        otherSubject.put("jti", UUID.randomUUID().toString());
        otherSubject.put("sub", "wx-app");
        assertError(token(Map.of("grant_type", "client_credentials", "client_id", "wx-signed",
                "client_assertion", signed(ASSERTION_KEY.getPrivate(), otherSubject))), 403, "unauthenticated");

        String once = assertion("wx-signed", "WatcherEx");
        tokens(Map.of("grant_type", "client_credentials", "client_id", "wx-signed", "client_assertion", once));
        assertError(token(Map.of("grant_type", "client_credentials", "client_id", "wx-signed", "client_assertion", once)),
                403, "unauthenticated");
        long tenMinutesAgo = System.currentTimeMillis() / 1000 - 600;
        assertError(token(Map.of("grant_type", "client_credentials", "client_id", "wx-signed",
                "client_assertion", assertion(ASSERTION_KEY.getPrivate(), "wx-signed", "WatcherEx", tenMinutesAgo))), 403, "unauthenticated");
        PrivateKey otherKey = rsaKeyPair().getPrivate();
        assertError(token(Map.of("grant_type", "client_credentials", "client_id", "wx-signed",
                "client_assertion", assertion(otherKey, "wx-signed", "WatcherEx", now))), 403, "unauthenticated");
        assertError(token(Map.of("grant_type", "client_credentials", "client_id", "wx-signed",
                "client_assertion", assertion(otherKey, "wx-signed", realm.getBaseUrl(), now))), 403, "unauthenticated");
        // the client_id of the request must be the assertion's subject
        assertError(token(Map.of("grant_type", "client_credentials", "client_id", "wx-app",
                "client_assertion", assertion("wx-signed", "WatcherEx"))), 403, "unauthenticated");
        // a client that authenticates by secret cannot switch to an assertion (key or not)
        assertError(token(Map.of("grant_type", "client_credentials", "client_id", "wx-app",
                "client_assertion", assertion("wx-app", "WatcherEx"))), 403, "unauthenticated");
        assertError(token(Map.of("grant_type", "client_credentials", "client_id", "wx-signed",
                "client_assertion", assertion("wx-signed", "watcherex"))), 403, "unauthenticated");
    }

    @Test
    void refreshRotatesAndRevokeEndsTheSession() throws Exception {
        String refresh = login("plain").path("refresh_token").asText();
        JsonNode refreshed = tokens(Map.of("grant_type", "refresh_token", "refresh_token", refresh));
        assertError(token(Map.of("grant_type", "refresh_token", "refresh_token", refresh)), 403, "unauthenticated");

        Http.Response revoked = http().postJson("api/v1/auth/protocol/openid-connect/revoke",
                Http.toJson(Map.of("refresh_token", refreshed.path("refresh_token").asText())));
        assertEquals(200, revoked.status(), revoked.body());
        assertEquals("", revoked.body());
        assertError(token(Map.of("grant_type", "refresh_token", "refresh_token", refreshed.path("refresh_token").asText())),
                403, "unauthenticated");
        assertEquals(200, http().postJson("api/v1/auth/protocol/openid-connect/revoke", "{\"access_token\":\"garbage\"}").status());
    }

    @Test
    void errorCatalog() throws Exception {
        assertError(token(Map.of("grant_type", "password", "client_id", "wx-app", "client_secret", "wx-secret",
                "username", "plain", "password", "wrong")), 403, "unauthenticated");
        assertError(token(Map.of("grant_type", "password", "client_id", "wx-app", "client_secret", "nope",
                "username", "plain", "password", PASSWORD)), 403, "unauthenticated");
        assertError(token(Map.of("grant_type", "authorization_code", "client_id", "wx-app")), 400, "bad_request");
        assertError(token(Map.of("grant_type", "password", "username", "plain", "password", PASSWORD)), 400, "bad_request");
        assertError(http().postJson(TOKEN, "{\"grant_type\":"), 400, "bad_request");
        assertError(http().postJson(TOKEN, "{\"grant_type\":\"" + "p".repeat(1024 * 1024) + "\"}"), 400, "bad_request");
        assertError(http().send("POST", "admin/v1/sessions/logout", null, Map.of()), 403, "unauthenticated");
        assertError(http().send("POST", "admin/v1/sessions/logout", null,
                Map.of("Authorization", "Bearer " + login("plain").path("access_token").asText())), 401, "unauthorized");
    }

    @Test
    void hostileInputIsABadRequestInWatcherExsShape() throws Exception {
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        assertError(http().send("POST", TOKEN, "<grant_type>password</grant_type>", Map.of("Content-Type", "application/xml")), 400, "bad_request");
        assertError(http().send("POST", TOKEN, null, Map.of()), 400, "bad_request");
        assertError(http().postJson(TOKEN, "[\"password\"]"), 400, "bad_request");
        assertError(http().postJson(TOKEN, "{\"grant_type\":42}"), 400, "bad_request");
        assertError(token(Map.of("client_id", "wx-app", "client_secret", "wx-secret")), 400, "bad_request");
        assertError(http().send("POST", TOKEN, "grant_type=password&client_id=wx-public&username=" + "u".repeat(1024 * 1024), form),
                400, "bad_request");
        assertError(http().send("POST", TOKEN, "grant_type=password&client_id=%zz", form), 400, "bad_request");
        assertError(token(Map.of("grant_type", "refresh_token", "client_id", "wx-public")), 400, "bad_request");
        assertError(token(Map.of("grant_type", "refresh_token", "refresh_token", "not-a-jwt")), 403, "unauthenticated");
        assertError(http().send("POST", TOKEN, "grant_type=password&client_id=wx-public&username=plain", form), 403, "unauthenticated");
        assertError(http().send("POST", "api/v1/auth/protocol/openid-connect/revoke", "{\"access_token\":", Map.of("Content-Type", "application/json")),
                400, "bad_request");

        Map<String, String> admin = Map.of("Authorization", "Bearer " + login("admin1").path("access_token").asText(),
                "Content-Type", "application/json");
        assertError(http().send("POST", "admin/v1/users", "{\"username\":\"" + "u".repeat(1024 * 1024) + "\"}", admin), 400, "bad_request");
        assertError(http().send("POST", "admin/v1/users", "{\"username\":", admin), 400, "bad_request");
        for (String authorization : List.of("Bearer", "Basic YWRtaW4xOnd4", "Bearer not.a.jwt", "bearer")) {
            assertError(http().send("POST", "admin/v1/sessions/logout", null, Map.of("Authorization", authorization)), 403, "unauthenticated");
        }
    }

    @Test
    void tokensOfAnotherRealmOrClientAndExpiredOrRevokedTokensAreRefused() throws Exception {
        Http shortHttp = Http.at(shortLived).resource("watcherex");
        Http.Response foreignLogin = shortHttp.postJson(TOKEN, Http.toJson(Map.of("grant_type", "password",
                "client_id", "wx-public", "username", "admin1", "password", PASSWORD)));
        assertEquals(200, foreignLogin.status(), foreignLogin.body());
        JsonNode foreign = foreignLogin.json();
        // another realm's (same names, same role) tokens
        assertError(http().send("POST", "admin/v1/sessions/logout", null,
                Map.of("Authorization", "Bearer " + foreign.path("access_token").asText())), 403, "unauthenticated");
        assertError(token(Map.of("grant_type", "refresh_token", "refresh_token", foreign.path("refresh_token").asText())),
                403, "unauthenticated");
        // another realm's revoke endpoint answers as for any unknown token and leaves the session alone
        String plainId = realm.admin().users().search("plain", true).get(0).getId();
        JsonNode kept = login("plain");
        int sessions = realm.admin().users().get(plainId).getUserSessions().size();
        assertEquals(200, shortHttp.postJson("api/v1/auth/protocol/openid-connect/revoke",
                Http.toJson(Map.of("access_token", kept.path("access_token").asText()))).status());
        assertEquals(sessions, realm.admin().users().get(plainId).getUserSessions().size());
        // another client's refresh token
        assertError(token(Map.of("grant_type", "refresh_token", "client_id", "wx-app", "client_secret", "wx-secret",
                "refresh_token", login("plain").path("refresh_token").asText())), 403, "unauthenticated");
        // expired: the access token after its 1 s, the refresh token after the 2 s session idle time
        Thread.sleep(3000);
        assertError(shortHttp.send("POST", "admin/v1/sessions/logout", null,
                Map.of("Authorization", "Bearer " + foreign.path("access_token").asText())), 403, "unauthenticated");
        assertError(shortHttp.postJson(TOKEN, Http.toJson(Map.of("grant_type", "refresh_token",
                "refresh_token", foreign.path("refresh_token").asText()))), 403, "unauthenticated");
        // revoked: both tokens of a revoked session
        JsonNode revoked = login("admin1");
        assertEquals(200, http().postJson("api/v1/auth/protocol/openid-connect/revoke",
                Http.toJson(Map.of("access_token", revoked.path("access_token").asText()))).status());
        assertError(http().send("POST", "admin/v1/sessions/logout-all-sessions", null,
                Map.of("Authorization", "Bearer " + revoked.path("access_token").asText())), 403, "unauthenticated");
        assertError(token(Map.of("grant_type", "refresh_token", "refresh_token", revoked.path("refresh_token").asText())),
                403, "unauthenticated");
    }

    @Test
    void adminLogoutAndLogoutAllSessions() throws Exception {
        String first = login("admin1").path("access_token").asText();
        String second = login("admin1").path("access_token").asText();
        Http.Response logout = http().send("POST", "admin/v1/sessions/logout", null, Map.of("Authorization", "Bearer " + first));
        assertEquals(204, logout.status(), logout.body());
        assertError(http().send("POST", "admin/v1/sessions/logout", null, Map.of("Authorization", "Bearer " + first)), 403, "unauthenticated");

        String third = login("admin1").path("access_token").asText();
        String adminId = realm.admin().users().search("admin1", true).get(0).getId();
        assertEquals(2, realm.admin().users().get(adminId).getUserSessions().size());
        assertEquals(204, http().send("POST", "admin/v1/sessions/logout-all-sessions", null,
                Map.of("Authorization", "Bearer " + third)).status());
        assertEquals(0, realm.admin().users().get(adminId).getUserSessions().size());
        assertError(http().send("POST", "admin/v1/sessions/logout", null, Map.of("Authorization", "Bearer " + second)), 403, "unauthenticated");
    }

    @Test
    void adminCreatesUsersWithScopes() throws Exception {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + login("admin1").path("access_token").asText(),
                "Content-Type", "application/json");
        Http.Response created = http().send("POST", "admin/v1/users", Http.toJson(Map.of("username", "yashu1",
                "password", Map.of("value", "long-pass-1", "algorithm", "argon2"), "permission", Map.of("scopes", List.of("reader")))), admin);
        assertEquals(201, created.status(), created.body());
        JsonNode user = created.json();
        List<String> names = Http.fieldNames(user);
        assertEquals(List.of("id", "username", "status", "is_admin", "inserted_at", "update_at"), names);
        assertEquals("yashu1", user.path("username").asText());
        assertEquals("active", user.path("status").asText());
        assertTrue(!user.path("is_admin").asBoolean());
        assertTrue(realm.admin().users().get(user.path("id").asText()).roles().realmLevel().listEffective().stream()
                .anyMatch(role -> role.getName().equals("reader")));
        tokens(Map.of("grant_type", "password", "client_id", "wx-public", "username", "yashu1", "password", "long-pass-1"));

        // the README's flat shape
        assertEquals(201, http().send("POST", "admin/v1/users",
                Http.toJson(Map.of("username", "yashu2", "password", "long-pass-2", "scopes", List.of())), admin).status());

        Http.Response duplicate = http().send("POST", "admin/v1/users",
                Http.toJson(Map.of("username", "yashu1", "password", "x", "scopes", List.of("nope"))), admin);
        assertError(duplicate, 400, "bad_request");
        JsonNode fields = duplicate.json().path("response");
        assertEquals(List.of("username", "password", "scopes"), Http.fieldNames(fields));
        assertError(http().send("POST", "admin/v1/users", "[]", admin), 400, "bad_request");
        assertError(http().send("POST", "admin/v1/users", Http.toJson(Map.of("username", "yashu3", "password", "long-pass-3")),
                Map.of("Authorization", "Bearer " + login("plain").path("access_token").asText())), 401, "unauthorized");
    }

    /** An RS256 client assertion as WatcherEx's clients build it: iss = sub = client_id, typ Bearer, 5 minutes. */
    public static String assertion(String clientId, String audience) throws Exception {
        return assertion(ASSERTION_KEY.getPrivate(), clientId, audience, System.currentTimeMillis() / 1000);
    }

    static String assertion(PrivateKey key, String clientId, String audience, long issuedAt) throws Exception {
        return signed(key, Map.of("iss", clientId, "sub", clientId, "aud", audience, "typ", "Bearer",
                "jti", UUID.randomUUID().toString(), "iat", issuedAt, "nbf", issuedAt, "exp", issuedAt + 300));
    }

    static String signed(PrivateKey key, Map<String, Object> claims) throws Exception {
        String header = base64Url(Http.toJson(Map.of("alg", "RS256", "typ", "JWT", "kid", "wx-key")));
        String payload = base64Url(Http.toJson(claims));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
    }

    public static String jwks(RSAPublicKey key) {
        return Http.toJson(Map.of("keys", List.of(Map.of("kty", "RSA", "kid", "wx-key", "use", "sig", "alg", "RS256",
                "n", unsigned(key.getModulus()), "e", unsigned(key.getPublicExponent())))));
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOfRange(bytes, start, bytes.length));
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

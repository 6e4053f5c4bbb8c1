package dev.keybridge.it.tapis;

import static dev.keybridge.it.tapis.TapisRealm.APPS;
import static dev.keybridge.it.tapis.TapisRealm.APPS_SECRET;
import static dev.keybridge.it.tapis.TapisRealm.DISABLED_USER;
import static dev.keybridge.it.tapis.TapisRealm.JOBS;
import static dev.keybridge.it.tapis.TapisRealm.JOBS_SECRET;
import static dev.keybridge.it.tapis.TapisRealm.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

/** The Tapis Tokens API on the real server: what a Tapis client sends and receives. */
@KeycloakIntegrationTest
class TapisTokensApiTest {

    private static final String JOBS_AUTH = Http.basic(JOBS, JOBS_SECRET);
    private static final String APPS_AUTH = Http.basic(APPS, APPS_SECRET);

    @InjectRealm(config = TapisRealm.class)
    ManagedRealm realm;

    @Test
    void generatorMintsAUserTokenPairWithClaimsAndTtlsInARealSession() throws Exception {
        int sessionsBefore = sessionsOf(USER);
        Http.Response reply = create(JOBS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "user", "token_username": "jdoe",
                 "access_token_ttl": 60, "generate_refresh_token": true, "refresh_token_ttl": 120,
                 "claims": {"project": "climate", "quota": 7}}""");

        JsonNode envelope = assertSuccess(reply, "Token generation successful.");
        JsonNode access = envelope.path("result").path("access_token");
        JsonNode claims = Jwt.claims(access.path("access_token").asText());
        assertEquals(USER, claims.path("tapis/username").asText(), claims.toString());
        assertEquals("user", claims.path("tapis/account_type").asText());
        assertEquals("dev", claims.path("tapis/tenant_id").asText());
        assertEquals(false, claims.path("tapis/delegation").asBoolean(true));
        assertTrue(claims.get("tapis/delegation_sub").isNull(), claims.toString());
        assertEquals("climate", claims.path("project").asText());
        assertEquals(7, claims.path("quota").asInt());
        assertEquals(JOBS, claims.path("azp").asText());
        assertEquals(realm.getBaseUrl(), claims.path("iss").asText());
        assertEquals(userId(USER), claims.path("sub").asText());
        assertEquals(60, claims.path("exp").asLong() - claims.path("iat").asLong(), "access_token_ttl honoured");
        assertEquals(claims.path("jti").asText(), access.path("jti").asText());
        long expiresIn = access.path("expires_in").asLong();
        assertTrue(expiresIn > 55 && expiresIn <= 60, "expires_in " + expiresIn);
        String expiresAt = access.path("expires_at").asText();
        assertTrue(expiresAt.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}"), "upstream's format: " + expiresAt);
        assertEquals(claims.path("exp").asLong(),
                LocalDateTime.parse(expiresAt, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")).toEpochSecond(ZoneOffset.UTC));

        JsonNode refresh = envelope.path("result").path("refresh_token");
        JsonNode refreshClaims = Jwt.claims(refresh.path("refresh_token").asText());
        assertEquals(120, refreshClaims.path("exp").asLong() - refreshClaims.path("iat").asLong(), "refresh_token_ttl honoured");
        assertEquals(refreshClaims.path("jti").asText(), refresh.path("jti").asText());

        assertEquals(sessionsBefore + 1, sessionsOf(USER), "the token pair belongs to a real user session");
        JsonNode introspection = introspect(access.path("access_token").asText());
        assertTrue(introspection.path("active").asBoolean(), introspection.toString());
        assertEquals(USER, introspection.path("tapis/username").asText());
    }

    @Test
    void ttlsAreCappedAtTheRealmsLifetimes() throws Exception {
        Http.Response reply = create(JOBS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "user", "token_username": "jdoe",
                 "access_token_ttl": 9999999, "generate_refresh_token": true, "refresh_token_ttl": 9999999}""");

        JsonNode result = assertSuccess(reply, "Token generation successful.").path("result");
        JsonNode access = Jwt.claims(result.path("access_token").path("access_token").asText());
        int realmAccessLifespan = realm.admin().toRepresentation().getAccessTokenLifespan();
        assertEquals(realmAccessLifespan, access.path("exp").asLong() - access.path("iat").asLong());
        JsonNode refresh = Jwt.claims(result.path("refresh_token").path("refresh_token").asText());
        int realmIdle = realm.admin().toRepresentation().getSsoSessionIdleTimeout();
        assertTrue(refresh.path("exp").asLong() - refresh.path("iat").asLong() <= realmIdle, refresh.toString());
    }

    @Test
    void serviceMintsItsOwnTokenWithoutTheGeneratorRole() throws Exception {
        Http.Response reply = create(APPS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "service", "token_username": "apps", "target_site_id": "uh"}""");

        JsonNode result = assertSuccess(reply, "Token generation successful.").path("result");
        assertFalse(result.has("refresh_token"), "no refresh token unless asked: " + result);
        JsonNode claims = Jwt.claims(result.path("access_token").path("access_token").asText());
        assertEquals(APPS, claims.path("tapis/username").asText());
        assertEquals("service", claims.path("tapis/account_type").asText());
        assertEquals("uh", claims.path("tapis/target_site").asText(), "the request's target site overrides the mapper's");
    }

    @Test
    void mintingForSomeoneElseWithoutTheRoleIsRefusedAndIssuesNothing() throws Exception {
        int sessionsBefore = sessionsOf(USER);

        assertError(create(APPS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "user", "token_username": "jdoe"}"""),
                "Not authorized to generate tokens in tenant dev.");
        assertError(create(APPS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "service", "token_username": "apps", "target_site_id": "uh",
                 "delegation_token": true, "delegation_sub_tenant_id": "dev", "delegation_sub_username": "jobs"}"""),
                "Not authorized to generate tokens in tenant dev.");

        assertEquals(sessionsBefore, sessionsOf(USER));
    }

    @Test
    void delegationTokenNamesTheGeneratorAsDelegationSub() throws Exception {
        Http.Response reply = create(JOBS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "user", "token_username": "jdoe",
                 "delegation_token": true, "delegation_sub_tenant_id": "dev", "delegation_sub_username": "jobs"}""");

        JsonNode claims = Jwt.claims(assertSuccess(reply, "Token generation successful.")
                .path("result").path("access_token").path("access_token").asText());
        assertEquals(USER, claims.path("tapis/username").asText());
        assertEquals(true, claims.path("tapis/delegation").asBoolean(false));
        assertEquals("jobs@dev", claims.path("tapis/delegation_sub").asText());
    }

    @Test
    void refreshKeepsClaimsAndTtlAndFollowsTheRealmsRotation() throws Exception {
        JsonNode minted = assertSuccess(create(JOBS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "user", "token_username": "jdoe", "access_token_ttl": 90,
                 "generate_refresh_token": true, "claims": {"project": "climate"}}"""), "Token generation successful.");
        String firstRefresh = minted.path("result").path("refresh_token").path("refresh_token").asText();

        Http.Response refreshed = Http.plain().json("PUT", tokensUrl(), "{\"refresh_token\": \"" + firstRefresh + "\"}", JOBS_AUTH);

        JsonNode result = assertSuccess(refreshed, "Token generation successful.").path("result");
        JsonNode claims = Jwt.claims(result.path("access_token").path("access_token").asText());
        assertEquals(USER, claims.path("tapis/username").asText());
        assertEquals("climate", claims.path("project").asText(), "extra claims survive a refresh, as in Tapis");
        assertEquals(90, claims.path("exp").asLong() - claims.path("iat").asLong(), "access TTL survives a refresh");
        assertTrue(result.path("refresh_token").path("refresh_token").asText().length() > 0, result.toString());

        // TapisRealm turns on refresh-token revocation: the used refresh token is dead (upstream keeps it valid forever)
        Http.Response reused = Http.plain().json("PUT", tokensUrl(), "{\"refresh_token\": \"" + firstRefresh + "\"}", JOBS_AUTH);
        JsonNode error = assertError(reused, null);
        assertTrue(error.path("message").asText().startsWith("Invalid PUT data: the refresh token was not accepted"), error.toString());
    }

    @Test
    void revokedAccessTokenIsNoLongerActive() throws Exception {
        JsonNode access = assertSuccess(create(JOBS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "user", "token_username": "jdoe"}"""), "Token generation successful.")
                .path("result").path("access_token");
        String token = access.path("access_token").asText();

        Http.Response revoked = Http.plain().json("POST", tokensUrl() + "/revoke", "{\"token\": \"" + token + "\"}", null);

        JsonNode envelope = assertSuccess(revoked, "Token " + access.path("jti").asText() + " has been revoked.");
        assertEquals("", envelope.path("result").asText());
        assertFalse(introspect(token).path("active").asBoolean(true));
    }

    @Test
    void revokedRefreshTokenCannotRefresh() throws Exception {
        String refresh = assertSuccess(create(JOBS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "user", "token_username": "jdoe", "generate_refresh_token": true}"""),
                "Token generation successful.").path("result").path("refresh_token").path("refresh_token").asText();

        assertEquals(200, Http.plain().json("POST", tokensUrl() + "/revoke", "{\"token\": \"" + refresh + "\"}", null).status());

        assertError(Http.plain().json("PUT", tokensUrl(), "{\"refresh_token\": \"" + refresh + "\"}", JOBS_AUTH), null);
        assertError(Http.plain().json("POST", tokensUrl() + "/revoke", "{\"token\": \"not-a-jwt\"}", null),
                "Invalid POST data; could not validate the token: debug data: the token is not a JWT.");
    }

    @Test
    void badRequestsGetTheTapisErrorEnvelope() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{not json", "Unable to parse message payload; is it JSON?");
        cases.put("[1, 2]", "Invalid POST data: the request body must be a JSON object.");
        cases.put("{\"token_tenant_id\": \"dev\", \"account_type\": \"user\"}",
                "Invalid POST data: 'token_username' is a required property.");
        cases.put("{\"token_tenant_id\": \"dev\", \"account_type\": \"admin\", \"token_username\": \"jdoe\"}",
                "Invalid POST data: account_type must be one of ['user', 'service'], not 'admin'.");
        cases.put("{\"token_tenant_id\": \"dev\", \"account_type\": \"user\", \"token_username\": \"jdoe\", \"access_token_ttl\": \"long\", \"generate_refresh_token\": \"yes\"}",
                "Invalid POST data: access_token_ttl must be an integer; generate_refresh_token must be a boolean.");
        cases.put("{\"token_tenant_id\": \"tacc\", \"account_type\": \"user\", \"token_username\": \"jdoe\"}",
                "Invalid POST data: token_tenant_id (tacc) is not served by this Tokens API. tenants served: ['dev']");
        cases.put("{\"token_tenant_id\": \"dev\", \"account_type\": \"service\", \"token_username\": \"jobs\"}",
                "Invalid POST data: target_site_id required for creating tokens of type 'service'.");
        cases.put("{\"token_tenant_id\": \"dev\", \"account_type\": \"user\", \"token_username\": \"nobody\"}",
                "Invalid POST data: token_username (nobody) is not a user account of tenant dev.");
        cases.put("{\"token_tenant_id\": \"dev\", \"account_type\": \"user\", \"token_username\": \"" + DISABLED_USER + "\"}",
                "Invalid POST data: token_username (" + DISABLED_USER + ") is disabled.");
        cases.put("{\"token_tenant_id\": \"dev\", \"account_type\": \"user\", \"token_username\": \"jdoe\", \"delegation_token\": true}",
                "Missing required delegation token attribute; both delegation_sub_tenant_id and delegation_sub_username are required when generating a delegation token.");
        cases.put("{\"token_tenant_id\": \"dev\", \"account_type\": \"user\", \"token_username\": \"jdoe\", \"claims\": [1]}",
                "Invalid POST data: claims must be a JSON object.");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertError(create(JOBS_AUTH, c.getKey()), c.getValue());
        }
        for (String reserved : new String[] {"sub", "exp", "scope", "realm_access", "tapis/username", "tapis/delegation"}) {
            JsonNode error = assertError(create(JOBS_AUTH, "{\"token_tenant_id\": \"dev\", \"account_type\": \"user\", "
                    + "\"token_username\": \"jdoe\", \"claims\": {\"" + reserved + "\": \"x\"}}"), null);
            assertTrue(error.path("message").asText().startsWith("passing claim " + reserved + " as an extra_claim is not allowed"), error.toString());
        }
        String huge = "{\"token_tenant_id\": \"dev\", \"account_type\": \"user\", \"token_username\": \"jdoe\", \"claims\": {\"pad\": \""
                + "x".repeat(70_000) + "\"}}";
        assertError(create(JOBS_AUTH, huge), "Invalid POST data: the request body is larger than 65536 bytes.");
        assertError(Http.plain().json("PUT", tokensUrl(), "{\"refresh_token\": 5}", null),
                "Invalid PUT data: 'refresh_token' is a required property and must be a string.");
        assertError(Http.plain().json("PUT", tokensUrl(), "{\"refresh_token\": \"abc\"}", null), "Invalid PUT data: refresh_token is not a JWT.");
    }

    @Test
    void callersMustAuthenticateAsConfidentialClients() throws Exception {
        String body = "{\"token_tenant_id\": \"dev\", \"account_type\": \"service\", \"token_username\": \"jobs\", \"target_site_id\": \"tacc\"}";
        assertError(create(null, body),
                "Invalid request: an HTTP Basic Auth header with the service's client id and secret is required.");
        assertError(create(Http.basic(JOBS, "wrong"), body), "Invalid service account/password combination.");
        assertError(create(Http.basic(TapisRealm.PORTAL, "wrong"), body), "Invalid service account/password combination.");
    }

    @Test
    void healthChecksAnswerInTheTapisEnvelope() throws Exception {
        assertEquals("", assertSuccess(Http.plain().get(tokensUrl() + "/hello", "unused"), "Hello from Tapis").path("result").asText());
        assertEquals("", assertSuccess(Http.plain().get(tokensUrl() + "/ready", "unused"), "Service is ready.").path("result").asText());
    }

    @Test
    void mintingAndRefusalsAreKeycloakEvents() throws Exception {
        assertSuccess(create(JOBS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "user", "token_username": "jdoe",
                 "delegation_token": true, "delegation_sub_tenant_id": "dev", "delegation_sub_username": "jobs"}"""),
                "Token generation successful.");
        assertError(create(APPS_AUTH, """
                {"token_tenant_id": "dev", "account_type": "user", "token_username": "jdoe"}"""),
                "Not authorized to generate tokens in tenant dev.");

        List<EventRepresentation> logins = realm.admin().getEvents(List.of("LOGIN"), JOBS, userId(USER), null, null, null, 0, 50);
        assertTrue(logins.stream().anyMatch(e -> "tapis-tokens-api".equals(e.getDetails().get("auth_method"))
                && "jobs@dev".equals(e.getDetails().get("tapis_delegation_sub"))
                && e.getSessionId() != null), "LOGIN event with the generator for the minted token: " + logins);
        List<EventRepresentation> refusals = realm.admin().getEvents(List.of("LOGIN_ERROR"), APPS, null, null, null, null, 0, 50);
        assertTrue(refusals.stream().anyMatch(e -> "not_allowed".equals(e.getError())
                && "jdoe".equals(e.getDetails().get("username"))), "LOGIN_ERROR event for the refused mint: " + refusals);
    }

    private Http.Response create(String authorization, String body) throws Exception {
        return Http.plain().json("POST", tokensUrl(), body, authorization);
    }

    private static JsonNode assertSuccess(Http.Response reply, String message) throws Exception {
        assertEquals(200, reply.status(), reply.body());
        JsonNode envelope = reply.json();
        assertEquals("success", envelope.path("status").asText(), reply.body());
        assertEquals(message, envelope.path("message").asText());
        assertTrue(envelope.path("metadata").isObject() && envelope.path("metadata").isEmpty(), reply.body());
        assertTrue(envelope.path("version").isTextual(), reply.body());
        return envelope;
    }

    /** 400 with the Tapis error envelope; checks the message when one is given. */
    static JsonNode assertError(Http.Response reply, String message) throws Exception {
        assertEquals(400, reply.status(), reply.body());
        JsonNode envelope = reply.json();
        assertEquals("error", envelope.path("status").asText(), reply.body());
        assertTrue(envelope.has("result") && envelope.get("result").isNull(), reply.body());
        assertTrue(envelope.path("metadata").isObject(), reply.body());
        assertTrue(envelope.path("version").isTextual(), reply.body());
        if (message != null) {
            assertEquals(message, envelope.path("message").asText());
        }
        return envelope;
    }

    private JsonNode introspect(String token) throws Exception {
        Http.Response reply = Http.at(realm).form("protocol/openid-connect/token/introspect",
                Map.of("token", token), Http.basic(JOBS, JOBS_SECRET));
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private String userId(String username) {
        return realm.admin().users().search(username, true).get(0).getId();
    }

    private int sessionsOf(String username) {
        return realm.admin().users().get(userId(username)).getUserSessions().size();
    }

    private String tokensUrl() {
        return realm.getBaseUrl() + "/tapis/v3/tokens";
    }
}

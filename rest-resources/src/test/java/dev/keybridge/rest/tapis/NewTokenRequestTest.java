package dev.keybridge.rest.tapis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

class NewTokenRequestTest {

    private static NewTokenRequest parse(String json) throws Exception {
        return NewTokenRequest.parse(JsonSerialization.mapper.readTree(json));
    }

    private static String problem(String json, String prefix) {
        return assertThrows(TapisError.class,
                () -> parse(json).checkSemantics(TapisTenant.fromConfig(Map.of("tapis.claim.prefix", prefix), "dev"), 4096)).getMessage();
    }

    @Test
    void fullRequestIsRead() throws Exception {
        NewTokenRequest request = parse("""
                {"account_type": "user", "token_tenant_id": "dev", "token_username": "jdoe", "target_site_id": "tacc",
                 "delegation_token": true, "delegation_sub_tenant_id": "admin", "delegation_sub_username": "jobs",
                 "access_token_ttl": 60, "generate_refresh_token": true, "refresh_token_ttl": 600,
                 "claims": {"project": "x"}, "unknown_field": 1}""");

        assertEquals("user", request.accountType());
        assertEquals("jobs@admin", request.delegationSub());
        assertEquals(60, request.accessTokenTtl());
        assertEquals(600, request.refreshTokenTtl());
        assertTrue(request.generateRefreshToken());
        assertEquals("{\"project\":\"x\"}", request.claimsJson());
    }

    @Test
    void absentOrNegativeTtlsMeanTheDefault() throws Exception {
        NewTokenRequest request = parse("""
                {"account_type": "user", "token_tenant_id": "dev", "token_username": "jdoe", "access_token_ttl": -5}""");

        assertEquals(0, request.accessTokenTtl());
        assertEquals(0, request.refreshTokenTtl());
        assertNull(request.delegationSub());
        assertNull(request.claimsJson());
    }

    @Test
    void everySchemaProblemIsNamedInOneMessage() {
        TapisError error = assertThrows(TapisError.class, () -> parse("""
                {"account_type": 3, "token_username": "", "access_token_ttl": 1.5, "delegation_token": "yes"}"""));

        assertEquals("Invalid POST data: account_type must be a string; 'token_tenant_id' is a required property; "
                + "token_username must not be empty; delegation_token must be a boolean; access_token_ttl must be an integer.",
                error.getMessage());
    }

    @Test
    void reservedClaimsAreRefusedUnderAnyPrefix() {
        String base = "{\"account_type\": \"user\", \"token_tenant_id\": \"dev\", \"token_username\": \"jdoe\", \"claims\": ";
        for (String claim : new String[] {"iss", "sub", "aud", "azp", "scope", "resource_access", "sid", "acr", "tapis/anything",
                "Sub", "Realm_Access", "EMAIL", "email_verified", "preferred_username", "groups", "Tapis/username", "tapis_sub",
                "allowed-origins", "authorization", "cnf", "may_act"}) {
            assertTrue(problem(base + "{\"" + claim + "\": 1}}", "tapis/").startsWith("passing claim " + claim + " as an extra_claim is not allowed"));
        }
        assertTrue(problem(base + "{\"acme/username\": 1}}", "acme/").startsWith("passing claim acme/username"));
    }

    @Test
    void serviceTokensNeedATargetSiteAndDelegationNeedsItsSubject() {
        assertEquals("Invalid POST data: target_site_id required for creating tokens of type 'service'.",
                problem("{\"account_type\": \"service\", \"token_tenant_id\": \"dev\", \"token_username\": \"jobs\"}", "tapis/"));
        assertTrue(problem("{\"account_type\": \"user\", \"token_tenant_id\": \"dev\", \"token_username\": \"jdoe\", "
                + "\"delegation_token\": true, \"delegation_sub_username\": \"jobs\"}", "tapis/").startsWith("Missing required delegation token attribute"));
    }

    @Test
    void sessionNotesAreBounded() {
        String pad = "x".repeat(4000);
        assertEquals("Invalid POST data: claims, target_site_id and the delegation subject take more than 4096 bytes.",
                problem("{\"account_type\": \"service\", \"token_tenant_id\": \"dev\", \"token_username\": \"jobs\", "
                        + "\"target_site_id\": \"" + pad + "\", \"claims\": {\"project\": \"" + "y".repeat(100) + "\"}}", "tapis/"));
    }

    @Test
    void tenantFallsBackToTheRealmName() {
        assertEquals("myrealm", TapisTenant.fromConfig(Map.of(), "myrealm").tenantId());
        TapisTenant configured = TapisTenant.fromConfig(Map.of("tapis.tenant.id", "dev", "tapis.claim.prefix", "acme/"), "myrealm");
        assertEquals("dev", configured.tenantId());
        assertEquals("acme/", configured.config().prefix());
    }
}

package dev.keybridge.tokens.tapis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TapisClaimsTest {

    @Test
    void emptyConfigFallsBackToRealmNameAndTapisPrefix() {
        TapisClaimsConfig config = TapisClaimsConfig.from(Map.of(), "dev");

        assertEquals(new TapisClaimsConfig("dev", "tapis/", null, null), config);
        assertNull(config.problem());
    }

    @Test
    void userTokenCarriesTheTapisClaimSetInTapisOrder() {
        TapisClaimsConfig config = TapisClaimsConfig.from(Map.of(TapisClaimsConfig.TENANT_ID, "tacc"), "realm");

        Map<String, Object> claims = TapisClaims.build(config, new TapisClaims.Subject("jdoe", false, null, null));

        assertEquals(List.of("tapis/tenant_id", "tapis/token_type", "tapis/delegation", "tapis/delegation_sub",
                "tapis/username", "tapis/account_type"), List.copyOf(claims.keySet()));
        assertEquals("tacc", claims.get("tapis/tenant_id"));
        assertEquals("access", claims.get("tapis/token_type"));
        assertEquals(false, claims.get("tapis/delegation"));
        assertTrue(claims.containsKey("tapis/delegation_sub"));
        assertNull(claims.get("tapis/delegation_sub"));
        assertEquals("jdoe", claims.get("tapis/username"));
        assertEquals("user", claims.get("tapis/account_type"));
    }

    @Test
    void delegationTokenNamesTheGeneratorInDelegationSub() {
        TapisClaimsConfig config = TapisClaimsConfig.from(Map.of(), "dev");

        Map<String, Object> claims = TapisClaims.build(config, new TapisClaims.Subject("jdoe", false, "jobs@dev", null));

        assertEquals(true, claims.get("tapis/delegation"));
        assertEquals("jobs@dev", claims.get("tapis/delegation_sub"));
        assertEquals("jdoe", claims.get("tapis/username"));
    }

    @Test
    void serviceAccountPrefixTargetSiteAndSubClaimFollowTheConfig() {
        TapisClaimsConfig config = TapisClaimsConfig.from(Map.of(
                TapisClaimsConfig.CLAIM_PREFIX, "acme/",
                TapisClaimsConfig.TARGET_SITE, "tacc",
                TapisClaimsConfig.TAPIS_SUB_ENABLED, "true"), "dev");

        Map<String, Object> claims = TapisClaims.build(config, new TapisClaims.Subject("jobs", true, null, null));

        assertEquals("service", claims.get("acme/account_type"));
        assertEquals("tacc", claims.get("acme/target_site"));
        assertEquals("jobs@dev", claims.get("tapis_sub"));
        assertFalse(claims.keySet().stream().anyMatch(k -> k.startsWith("tapis/")));
    }

    @Test
    void sessionTargetSiteOverridesTheConfiguredOne() {
        TapisClaimsConfig config = TapisClaimsConfig.from(Map.of(TapisClaimsConfig.TARGET_SITE, "tacc"), "dev");

        Map<String, Object> claims = TapisClaims.build(config, new TapisClaims.Subject("jobs", true, null, "uh"));

        assertEquals("uh", claims.get("tapis/target_site"));
    }

    @Test
    void subClaimDisabledLeavesItOut() {
        TapisClaimsConfig config = TapisClaimsConfig.from(Map.of(TapisClaimsConfig.TAPIS_SUB_CLAIM_NAME, "tsub"), "dev");

        Map<String, Object> claims = TapisClaims.build(config, new TapisClaims.Subject("jdoe", false, null, null));

        assertFalse(claims.containsKey("tsub"));
        assertFalse(claims.containsKey("tapis/target_site"));
    }

    @Test
    void configProblemsAreReported() {
        assertNotNull(TapisClaimsConfig.from(Map.of(TapisClaimsConfig.TENANT_ID, "a@b"), "dev").problem());
        assertNotNull(TapisClaimsConfig.from(Map.of(TapisClaimsConfig.CLAIM_PREFIX, "ta pis/"), "dev").problem());
        assertNotNull(TapisClaimsConfig.from(Map.of(TapisClaimsConfig.TAPIS_SUB_ENABLED, "true",
                TapisClaimsConfig.TAPIS_SUB_CLAIM_NAME, "sub"), "dev").problem());
        assertNotNull(TapisClaimsConfig.from(Map.of(TapisClaimsConfig.TAPIS_SUB_ENABLED, "true",
                TapisClaimsConfig.TAPIS_SUB_CLAIM_NAME, "tapis/sub"), "dev").problem());
    }
}

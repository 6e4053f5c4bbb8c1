package dev.keybridge.rest.tapis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.util.JsonSerialization;

/**
 * The body of {@code POST /v3/tokens} (Tapis' NewTokenRequest), checked the way the upstream
 * OpenAPI validator checks it: required fields, types, the account_type enum; unknown fields are
 * ignored. Messages name the offending field.
 */
public record NewTokenRequest(
        String accountType,
        String tokenTenantId,
        String tokenUsername,
        String targetSiteId,
        boolean delegationToken,
        String delegationSubTenantId,
        String delegationSubUsername,
        long accessTokenTtl,
        boolean generateRefreshToken,
        long refreshTokenTtl,
        Map<String, Object> claims) {

    public static final String USER = "user";
    public static final String SERVICE = "service";

    static NewTokenRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw TapisError.invalidData("POST", "the request body must be a JSON object.");
        }
        List<String> problems = new ArrayList<>();
        String accountType = string(body, "account_type", true, problems);
        if (accountType != null && !USER.equals(accountType) && !SERVICE.equals(accountType)) {
            problems.add("account_type must be one of ['user', 'service'], not '" + accountType + "'");
        }
        String tenant = string(body, "token_tenant_id", true, problems);
        String username = string(body, "token_username", true, problems);
        String targetSite = string(body, "target_site_id", false, problems);
        boolean delegation = bool(body, "delegation_token", problems);
        String delegationTenant = string(body, "delegation_sub_tenant_id", false, problems);
        String delegationUser = string(body, "delegation_sub_username", false, problems);
        long accessTtl = integer(body, "access_token_ttl", problems);
        boolean refresh = bool(body, "generate_refresh_token", problems);
        long refreshTtl = integer(body, "refresh_token_ttl", problems);
        Map<String, Object> claims = claims(body, problems);
        if (!problems.isEmpty()) {
            throw TapisError.invalidData("POST", String.join("; ", problems) + ".");
        }
        return new NewTokenRequest(accountType, tenant, username, targetSite, delegation, delegationTenant,
                delegationUser, accessTtl, refresh, refreshTtl, claims);
    }

    /**
     * Checks that go beyond the schema, in the order and with the words of the upstream service, plus the names an
     * extra claim may not take and the size of what the token keeps in its session.
     */
    void checkSemantics(TapisTenant tenant, int maxNoteBytes) {
        if (SERVICE.equals(accountType) && targetSiteId == null) {
            throw TapisError.invalidData("POST", "target_site_id required for creating tokens of type 'service'.");
        }
        for (String claim : claims.keySet()) {
            if (tenant.isReservedClaim(claim)) {
                throw new TapisError("passing claim " + claim + " as an extra_claim is not allowed, as it is a standard claim: "
                        + "registered for JWTs or OpenID Connect, a field of Keycloak's tokens, a Tapis claim or a claim "
                        + "this client's mappers set (names compared in any case).");
            }
        }
        if (delegationToken && (delegationSubTenantId == null || delegationSubUsername == null)) {
            throw new TapisError("Missing required delegation token attribute; both delegation_sub_tenant_id and "
                    + "delegation_sub_username are required when generating a delegation token.");
        }
        if (noteBytes() > maxNoteBytes) {
            throw TapisError.invalidData("POST", "claims, target_site_id and the delegation subject take more than "
                    + maxNoteBytes + " bytes.");
        }
    }

    /** UTF-8 size of what the token keeps in its client session and carries in every access token. */
    private long noteBytes() {
        return Stream.of(claimsJson(), targetSiteId, delegationSub())
                .filter(Objects::nonNull)
                .mapToLong(value -> value.getBytes(StandardCharsets.UTF_8).length)
                .sum();
    }

    /** {@code user@tenant} of the subject who generated a delegation token, or null. */
    String delegationSub() {
        return delegationToken ? delegationSubUsername + "@" + delegationSubTenantId : null;
    }

    String claimsJson() {
        try {
            return claims.isEmpty() ? null : JsonSerialization.writeValueAsString(claims);
        } catch (IOException e) {
            throw new IllegalStateException("claims parsed from JSON must serialize back", e);
        }
    }

    private static String string(JsonNode body, String field, boolean required, List<String> problems) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add("'" + field + "' is a required property");
            }
            return null;
        }
        if (!value.isTextual()) {
            problems.add(field + " must be a string");
            return null;
        }
        if (required && value.asText().isBlank()) {
            problems.add(field + " must not be empty");
            return null;
        }
        return value.asText();
    }

    private static boolean bool(JsonNode body, String field, List<String> problems) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            problems.add(field + " must be a boolean");
            return false;
        }
        return value.asBoolean();
    }

    /** Zero, negative or absent: the default TTL, as upstream treats them. */
    private static long integer(JsonNode body, String field, List<String> problems) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problems.add(field + " must be an integer");
            return 0;
        }
        return Math.max(0, value.asLong());
    }

    private static Map<String, Object> claims(JsonNode body, List<String> problems) {
        JsonNode value = body.get("claims");
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            problems.add("claims must be a JSON object");
            return Map.of();
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        value.properties().forEach(e -> claims.put(e.getKey(), e.getValue()));
        return claims;
    }
}

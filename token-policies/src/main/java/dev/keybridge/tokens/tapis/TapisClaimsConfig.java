package dev.keybridge.tokens.tapis;

import java.util.Map;

/**
 * The settings of one {@code tapis-claims} mapper, read from its config map.
 *
 * @param tenantId        value of {@code <prefix>tenant_id} and the tenant part of {@code user@tenant}
 * @param prefix          namespace of the Tapis claims, {@code tapis/} as Tapis uses it
 * @param targetSite      {@code <prefix>target_site}, or null to leave the claim out
 * @param tapisSubClaim   claim name for {@code username@tenant}, or null when that toggle is off
 */
public record TapisClaimsConfig(String tenantId, String prefix, String targetSite, String tapisSubClaim) {

    public static final String TENANT_ID = "tapis.tenant.id";
    public static final String CLAIM_PREFIX = "tapis.claim.prefix";
    public static final String TARGET_SITE = "tapis.target.site";
    public static final String TAPIS_SUB_ENABLED = "tapis.sub.claim.enabled";
    public static final String TAPIS_SUB_CLAIM_NAME = "tapis.sub.claim.name";

    public static final String DEFAULT_PREFIX = "tapis/";
    public static final String DEFAULT_TAPIS_SUB_CLAIM_NAME = "tapis_sub";

    /** Reads the config; empty values fall back to the defaults (the tenant id to the realm name). */
    public static TapisClaimsConfig from(Map<String, String> config, String realmName) {
        String tenantId = blankToNull(config.get(TENANT_ID));
        String prefix = config.get(CLAIM_PREFIX);
        String subClaim = null;
        if (Boolean.parseBoolean(config.get(TAPIS_SUB_ENABLED))) {
            subClaim = blankToNull(config.get(TAPIS_SUB_CLAIM_NAME));
            if (subClaim == null) {
                subClaim = DEFAULT_TAPIS_SUB_CLAIM_NAME;
            }
        }
        return new TapisClaimsConfig(tenantId == null ? realmName : tenantId.trim(),
                prefix == null || prefix.isBlank() ? DEFAULT_PREFIX : prefix.trim(),
                blankToNull(config.get(TARGET_SITE)),
                subClaim == null ? null : subClaim.trim());
    }

    /** Why the config cannot be saved, or null when it is fine. */
    public String problem() {
        if (tenantId.contains("@") || tenantId.chars().anyMatch(Character::isWhitespace)) {
            return "Tapis tenant id must not contain '@' or whitespace: '" + tenantId + "'";
        }
        if (prefix.chars().anyMatch(Character::isWhitespace)) {
            return "Tapis claim prefix must not contain whitespace: '" + prefix + "'";
        }
        if (tapisSubClaim != null) {
            if (ReservedClaims.isReserved(tapisSubClaim)) {
                return "The username@tenant claim cannot replace the standard claim '" + tapisSubClaim + "'";
            }
            if (tapisSubClaim.startsWith(prefix)) {
                return "The username@tenant claim name must not start with the Tapis claim prefix '" + prefix + "'";
            }
        }
        return null;
    }

    public String claim(String name) {
        return prefix + name;
    }

    /** Whether {@code name}, in any case, is one of the claims this mapper writes: its prefix or the username@tenant claim. */
    public boolean isTapisClaim(String name) {
        String normalized = ReservedClaims.normalized(name);
        return normalized.startsWith(ReservedClaims.normalized(prefix))
                || normalized.equals(ReservedClaims.normalized(tapisSubClaim == null ? DEFAULT_TAPIS_SUB_CLAIM_NAME : tapisSubClaim));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

package dev.keybridge.tokens.tapis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Tapis access-token claim set for one subject, as the Tapis Tokens API builds it
 * (tokens-api service/models.py, TapisAccessToken.claims_to_dict), minus what Keycloak owns
 * (jti, iss, sub, exp).
 */
public final class TapisClaims {

    public static final String TOKEN_TYPE_ACCESS = "access";
    public static final String ACCOUNT_USER = "user";
    public static final String ACCOUNT_SERVICE = "service";

    private TapisClaims() {
    }

    /**
     * What the mapper knows about the token being built.
     *
     * @param username       the Tapis username: the Keycloak username, or the client id for a service account
     * @param service        whether the subject is a client's service account
     * @param delegationSub  for a delegation token the subject who generated it ({@code user@tenant}),
     *                       else null
     * @param targetSite     a target site set for this session, overriding the configured one, or null
     */
    public record Subject(String username, boolean service, String delegationSub, String targetSite) {
    }

    /** {@code username@tenant}, Tapis' form of a subject. */
    public static String subject(String username, String tenantId) {
        return username + "@" + tenantId;
    }

    /** The claims in Tapis' order; {@code delegation_sub} is present with a null value when not delegated. */
    public static Map<String, Object> build(TapisClaimsConfig config, Subject subject) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(config.claim("tenant_id"), config.tenantId());
        claims.put(config.claim("token_type"), TOKEN_TYPE_ACCESS);
        claims.put(config.claim("delegation"), subject.delegationSub() != null);
        claims.put(config.claim("delegation_sub"), subject.delegationSub());
        claims.put(config.claim("username"), subject.username());
        claims.put(config.claim("account_type"), subject.service() ? ACCOUNT_SERVICE : ACCOUNT_USER);
        String targetSite = subject.targetSite() != null ? subject.targetSite() : config.targetSite();
        if (targetSite != null) {
            claims.put(config.claim("target_site"), targetSite);
        }
        if (config.tapisSubClaim() != null) {
            claims.put(config.tapisSubClaim(), subject(subject.username(), config.tenantId()));
        }
        return claims;
    }
}

package dev.keybridge.tokens.tapis;

/**
 * Client-session notes through which the Tapis Tokens API (rest-resources, package
 * dev.keybridge.rest.tapis) tells this mapper what a minted token must carry. Notes live as long
 * as the client session, so a refresh through Keycloak's token endpoint keeps them, as Tapis keeps
 * the claims of a refreshed token.
 */
public final class TapisSessionNotes {

    /** {@code user@tenant} of the subject who generated a delegation token. */
    public static final String DELEGATION_SUB = "tapis.delegation_sub";
    /** Overrides the mapper's configured target site for this session. */
    public static final String TARGET_SITE = "tapis.target_site";
    /** A JSON object of extra claims merged into the access token. */
    public static final String EXTRA_CLAIMS = "tapis.extra_claims";
    /** Access-token lifetime in seconds; only ever shortens what Keycloak computed. */
    public static final String ACCESS_TOKEN_TTL = "tapis.access_token_ttl";

    private TapisSessionNotes() {
    }
}

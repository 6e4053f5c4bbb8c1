package dev.keybridge.rest.ertis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * A credential as ErtisAuth reads it: {@code Bearer <token>}, or {@code Basic <application_id>:<secret>} sent raw
 * (the original's quirk) or base64-encoded (RFC 7617).
 */
record ErtisCredential(boolean basic, String value) {

    /**
     * @return null when the header is missing or empty
     * @throws dev.keybridge.rest.support.ApiException 400 TokenTypeNotSupported for any other scheme
     */
    static ErtisCredential fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String[] parts = header.trim().split("\\s+", 2);
        if (parts.length < 2 || parts[1].isBlank()) {
            throw ErtisError.tokenTypeNotSupported();
        }
        return switch (parts[0].toLowerCase(Locale.ROOT)) {
            case "bearer" -> new ErtisCredential(false, parts[1].trim());
            case "basic" -> new ErtisCredential(true, parts[1].trim());
            default -> throw ErtisError.tokenTypeNotSupported();
        };
    }

    /** A token from a request body: {@code "Bearer <token>"} as the documents show it, or the bare token. */
    static ErtisCredential fromBody(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        ErtisCredential credential = token.trim().contains(" ") ? fromHeader(token) : new ErtisCredential(false, token.trim());
        if (credential.basic()) {
            throw ErtisError.bearerTokenRequired();
        }
        return credential;
    }

    /**
     * The token of a route that takes only Bearer credentials.
     * @throws dev.keybridge.rest.support.ApiException 400 AuthorizationHeaderMissing without a credential,
     *         400 BearerTokenRequired for a Basic one
     */
    static String bearerToken(ErtisCredential credential) {
        if (credential == null) {
            throw ErtisError.authorizationHeaderMissing();
        }
        if (credential.basic()) {
            throw ErtisError.bearerTokenRequired();
        }
        return credential.value();
    }

    /** The application id and secret of a Basic credential; null when it has no colon. */
    String[] applicationAndSecret() {
        String raw = value.contains(":") ? value : decoded(value);
        int colon = raw == null ? -1 : raw.indexOf(':');
        return colon <= 0 ? null : new String[] {raw.substring(0, colon), raw.substring(colon + 1)};
    }

    private static String decoded(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}

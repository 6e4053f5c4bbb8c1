package dev.keybridge.broker.facebook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.keybridge.broker.nativesignin.IdTokenRejectedException;
import dev.keybridge.broker.nativesignin.VerifiedIdToken;

/**
 * The checks on the Graph API's answers about a classic Facebook access token. The token inspection
 * ({@code debug_token}, asked with the app's own credentials) must say the token is a valid, unexpired user token
 * issued to this app: a token the user gave another app must not sign in here (token substitution). The identity is
 * Graph's app-scoped user id, the id Keycloak's browser login links; nothing the app sends about the user is used.
 */
final class GraphAnswers {

    /** Facebook access tokens are a few hundred characters of letters and digits. */
    static final int MAX_TOKEN_LENGTH = 4096;

    private GraphAnswers() {
    }

    static void checkTokenShape(String token) throws IdTokenRejectedException {
        if (token == null || token.isBlank()) {
            throw new IdTokenRejectedException("subject_token is missing");
        }
        if (token.length() > MAX_TOKEN_LENGTH || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IdTokenRejectedException("subject_token is not a Facebook access token");
        }
    }

    /**
     * @param answer         the JSON of {@code GET /debug_token}
     * @param expectedUserId the user id the app claims the token belongs to, or null
     * @return the user id the token belongs to
     */
    static String userId(Map<String, Object> answer, String appId, String expectedUserId, long nowSeconds) throws IdTokenRejectedException {
        if (!(answer.get("data") instanceof Map<?, ?> data)) {
            throw new IdTokenRejectedException("Facebook's token inspection answered without data" + graphError(answer));
        }
        if (!Boolean.TRUE.equals(data.get("is_valid"))) {
            throw new IdTokenRejectedException("Facebook says the access token is not valid" + graphError(data));
        }
        if (appId == null || !appId.equals(data.get("app_id"))) {
            throw new IdTokenRejectedException("the Facebook access token was issued to app '" + data.get("app_id")
                    + "', not to this identity provider's app '" + appId + "'");
        }
        if (!"USER".equals(data.get("type"))) {
            throw new IdTokenRejectedException("the Facebook access token is a " + data.get("type") + " token, not a user token");
        }
        long expiresAt = data.get("expires_at") instanceof Number n ? n.longValue() : -1;
        // 0 is Graph's "never expires"; a missing or non-numeric expiry is not trusted
        if (expiresAt < 0 || (expiresAt != 0 && expiresAt <= nowSeconds)) {
            throw new IdTokenRejectedException("the Facebook access token has expired");
        }
        if (!(data.get("user_id") instanceof String userId) || userId.isBlank()) {
            throw new IdTokenRejectedException("Facebook's token inspection names no user");
        }
        if (expectedUserId != null && !expectedUserId.equals(userId)) {
            throw new IdTokenRejectedException("the Facebook access token belongs to another user than the one the request names");
        }
        return userId;
    }

    /**
     * @param profile the JSON of {@code GET /me?fields=id,name,email,first_name,last_name}
     * @param userId  the user the token inspection named
     */
    static VerifiedIdToken identity(Map<String, Object> profile, String userId, boolean emailVerified) throws IdTokenRejectedException {
        if (!userId.equals(profile.get("id"))) {
            throw new IdTokenRejectedException("Facebook's profile is not the profile of the token's user" + graphError(profile));
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        for (String field : new String[] {"id", "name", "email", "first_name", "last_name"}) {
            if (profile.get(field) instanceof String value && !value.isBlank()) {
                claims.put(field, value);
            }
        }
        String email = (String) claims.get("email");
        return new VerifiedIdToken(userId, email, emailVerified && email != null, (String) claims.get("first_name"),
                (String) claims.get("last_name"), claims);
    }

    /** Graph's {@code appsecret_proof}: HMAC-SHA256 of the access token keyed with the app secret, hex. */
    static String appSecretProof(String accessToken, String appSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(accessToken.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    /** Graph's own reason, when its answer carries one ({@code error.message}). */
    static String graphError(Map<?, ?> answer) {
        return answer.get("error") instanceof Map<?, ?> error && error.get("message") instanceof String message
                ? " (Facebook: " + abbreviate(message) + ")" : "";
    }

    private static String abbreviate(String message) {
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}

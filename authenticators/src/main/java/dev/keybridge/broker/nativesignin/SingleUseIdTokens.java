package dev.keybridge.broker.nativesignin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import org.keycloak.models.KeycloakSession;

/**
 * Makes an Apple or Google ID token good for one native sign-in, so a token that leaked (from a
 * device, a proxy log, a crash report) cannot sign anyone in again. Spent tokens are marked in
 * Keycloak's single-use object store, which the cluster replicates, until the token could no
 * longer pass the expiry check anyway. Marks are not per realm: a token spent in one realm is
 * spent everywhere.
 */
public final class SingleUseIdTokens {

    /** Event error of a refused replay. */
    public static final String REPLAYED = "id_token_replayed";

    private static final String KEY_PREFIX = "keybridge.id-token.";

    /**
     * How a token is recognised: by issuer and {@code jti} (Google), or, without a {@code jti}
     * (Apple), by a hash of its signed part. The signature is left out of the hash because ECDSA
     * signatures are malleable: anyone can derive a second valid signature for the same content.
     *
     * @param key  the store key
     * @param id   what the event records: the jti, or the hash
     */
    public record Mark(String key, String id) {
    }

    private SingleUseIdTokens() {
    }

    /** @param token the raw token, already verified, so it has three parts */
    public static Mark mark(String token, VerifiedIdToken verified) {
        if (verified.claims().get("jti") instanceof String jti && !jti.isBlank()) {
            return new Mark(KEY_PREFIX + sha256(verified.claims().get("iss") + "\n" + jti), "jti " + jti);
        }
        String hash = sha256(token.substring(0, token.lastIndexOf('.')));
        return new Mark(KEY_PREFIX + hash, "sha256 " + hash);
    }

    /** Seconds the mark must live: until the token's exp plus the clock skew the verifier allows, at least one. */
    public static long lifespanSeconds(VerifiedIdToken verified, Duration clockSkew, long nowSeconds) {
        long exp = verified.claims().get("exp") instanceof Number n ? n.longValue() : nowSeconds;
        return Math.max(1, exp + clockSkew.toSeconds() - nowSeconds);
    }

    /** @return true the first time, false when the token was spent before */
    public static boolean spend(KeycloakSession session, Mark mark, long lifespanSeconds) {
        return session.singleUseObjects().putIfAbsent(mark.key(), lifespanSeconds);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

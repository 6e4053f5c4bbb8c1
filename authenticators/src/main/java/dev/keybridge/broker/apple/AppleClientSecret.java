package dev.keybridge.broker.apple;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.keycloak.util.JsonSerialization;

/**
 * Apple's client_secret: an ES256 JWT signed with the team's .p8 key (iss = Team ID, sub =
 * Services ID, aud = Apple). Minted with a short lifetime and reused until shortly before it
 * expires, so a login costs no signature and a leaked secret is soon useless.
 */
public final class AppleClientSecret {

    static final Duration LIFETIME = Duration.ofMinutes(30);
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

    private record Minted(String jwt, Instant expiresAt) {
    }

    private static final Map<String, Minted> CACHE = new ConcurrentHashMap<>();

    private AppleClientSecret() {
    }

    /**
     * @param p8 the PKCS#8 key as Apple hands it out (PEM armour, line breaks or literal "\n" allowed)
     */
    public static String get(String teamId, String keyId, String clientId, String audience, String p8, Instant now) {
        String cacheKey = String.join("|", teamId, keyId, clientId, audience, Integer.toHexString(p8.hashCode()));
        Minted minted = CACHE.get(cacheKey);
        if (minted == null || !now.plus(RENEW_BEFORE_EXPIRY).isBefore(minted.expiresAt())) {
            minted = new Minted(mint(teamId, keyId, clientId, audience, privateKey(p8), now), now.plus(LIFETIME));
            CACHE.put(cacheKey, minted);
        }
        return minted.jwt();
    }

    static String mint(String teamId, String keyId, String clientId, String audience, PrivateKey key, Instant now) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("kid", keyId);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", teamId);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(LIFETIME).getEpochSecond());
        claims.put("aud", audience);
        claims.put("sub", clientId);
        try {
            String signingInput = base64Json(header) + "." + base64Json(claims);
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(key);
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot sign the Apple client secret: " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(String p8) {
        String base64 = p8.replace("\\n", "\n").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the Apple private key is not a PKCS#8 EC key (.p8)", e);
        }
    }

    private static String base64Json(Map<String, Object> value) throws java.io.IOException {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JsonSerialization.writeValueAsBytes(value));
    }
}

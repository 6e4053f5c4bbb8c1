package dev.keybridge.broker.apple;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppleClientSecretTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void mintsAnEs256JwtAppleAcceptsAndReusesItUntilNearExpiry() throws Exception {
        KeyPair key = ecKey();
        String p8 = "-----BEGIN PRIVATE KEY-----\\n" + Base64.getEncoder().encodeToString(key.getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----";

        String secret = AppleClientSecret.get("TEAM", "KID", "dev.services", "https://appleid.apple.com", p8, NOW);

        String[] parts = secret.split("\\.");
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(key.getPublic());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(Base64.getUrlDecoder().decode(parts[2])));
        assertEquals(Map.of("alg", "ES256", "kid", "KID"), json(parts[0]));
        Map<String, Object> claims = json(parts[1]);
        assertEquals("TEAM", claims.get("iss"));
        assertEquals("dev.services", claims.get("sub"));
        assertEquals("https://appleid.apple.com", claims.get("aud"));
        assertEquals(NOW.plus(AppleClientSecret.LIFETIME).getEpochSecond(), ((Number) claims.get("exp")).longValue());

        Instant beforeRenewal = NOW.plus(AppleClientSecret.LIFETIME).minus(AppleClientSecret.RENEW_BEFORE_EXPIRY).minusSeconds(1);
        assertEquals(secret, AppleClientSecret.get("TEAM", "KID", "dev.services", "https://appleid.apple.com", p8, beforeRenewal));
        Instant renewal = beforeRenewal.plusSeconds(2);
        assertNotEquals(secret, AppleClientSecret.get("TEAM", "KID", "dev.services", "https://appleid.apple.com", p8, renewal));
    }

    @Test
    void rejectsAKeyThatIsNotAp8() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AppleClientSecret.get("T", "K", "c", "a", "not a key", NOW));
        assertTrue(e.getMessage().contains(".p8"));
    }

    private static Map<String, Object> json(String part) throws Exception {
        return JsonSerialization.readValue(Base64.getUrlDecoder().decode(part), new TypeReference<Map<String, Object>>() {
        });
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}

package dev.keybridge.broker.nativesignin;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JsonWebKeysTest {

    @Test
    void parsesRsaAndEcKeysAndSkipsUnusableOnes() {
        KeyPair rsa = IdTokenVerifierTest.generate("RSA");
        KeyPair ec = IdTokenVerifierTest.generate("EC");
        RSAPublicKey rsaKey = (RSAPublicKey) rsa.getPublic();
        ECPublicKey ecKey = (ECPublicKey) ec.getPublic();
        Map<String, Object> jwks = Map.of("keys", List.of(
                Map.of("kty", "RSA", "kid", "r", "use", "sig", "alg", "RS256", "n", b64(rsaKey.getModulus()), "e", b64(rsaKey.getPublicExponent())),
                Map.of("kty", "EC", "kid", "e", "crv", "P-256", "x", b64(ecKey.getW().getAffineX()), "y", b64(ecKey.getW().getAffineY())),
                Map.of("kty", "RSA", "kid", "enc", "use", "enc", "n", b64(rsaKey.getModulus()), "e", b64(rsaKey.getPublicExponent())),
                Map.of("kty", "RSA", "n", b64(rsaKey.getModulus()), "e", b64(rsaKey.getPublicExponent())),
                Map.of("kty", "RSA", "kid", "broken", "n", "!!"),
                Map.of("kty", "oct", "kid", "hmac", "k", "c2VjcmV0")));

        Map<String, JsonWebKeys.SigningKey> keys = JsonWebKeys.parse(jwks);

        assertEquals(java.util.Set.of("r", "e"), keys.keySet());
        assertEquals(rsa.getPublic(), keys.get("r").key());
        assertEquals("RS256", keys.get("r").alg());
        assertEquals(ec.getPublic(), keys.get("e").key());
        assertNull(keys.get("e").alg());
    }

    @Test
    void documentWithoutKeysGivesNone() {
        assertEquals(Map.of(), JsonWebKeys.parse(Map.of("keys", "nope")));
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int skip = bytes[0] == 0 && bytes.length > 1 ? 1 : 0;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
    }
}

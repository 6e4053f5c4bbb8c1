package dev.keybridge.broker.nativesignin;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns a JWKS document (RFC 7517) into verification keys, with the JDK's own crypto only. */
public final class JsonWebKeys {

    /** A signing key of the set, with the algorithm the set pins it to (null when it does not). */
    public record SigningKey(PublicKey key, String alg) {
    }

    private static final Map<String, String> EC_CURVES = Map.of("P-256", "secp256r1", "P-384", "secp384r1", "P-521", "secp521r1");

    private JsonWebKeys() {
    }

    /**
     * Parses the {@code keys} array; keys for encryption only, without a kid, or of a type we don't
     * verify with are skipped, so one odd key never hides the others.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, SigningKey> parse(Map<String, Object> jwks) {
        Map<String, SigningKey> byKid = new HashMap<>();
        Object keys = jwks.get("keys");
        if (!(keys instanceof List<?> list)) {
            return byKid;
        }
        for (Object entry : list) {
            if (!(entry instanceof Map<?, ?> jwk)) {
                continue;
            }
            Map<String, Object> key = (Map<String, Object>) jwk;
            String kid = string(key, "kid");
            String use = string(key, "use");
            if (kid == null || (use != null && !"sig".equals(use))) {
                continue;
            }
            try {
                PublicKey publicKey = toPublicKey(key);
                if (publicKey != null) {
                    byKid.put(kid, new SigningKey(publicKey, string(key, "alg")));
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // a malformed key is unusable; tokens naming it fail as "unknown key"
            }
        }
        return byKid;
    }

    private static PublicKey toPublicKey(Map<String, Object> jwk) throws GeneralSecurityException {
        String kty = string(jwk, "kty");
        if ("RSA".equals(kty)) {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(number(jwk, "n"), number(jwk, "e")));
        }
        if ("EC".equals(kty)) {
            String curve = EC_CURVES.get(string(jwk, "crv"));
            if (curve == null) {
                return null;
            }
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(curve));
            ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
            ECPoint point = new ECPoint(number(jwk, "x"), number(jwk, "y"));
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
        }
        return null;
    }

    private static BigInteger number(Map<String, Object> jwk, String name) {
        String value = string(jwk, name);
        if (value == null) {
            throw new IllegalArgumentException("JWK member " + name + " missing");
        }
        return new BigInteger(1, Base64.getUrlDecoder().decode(value));
    }

    private static String string(Map<String, Object> map, String name) {
        return map.get(name) instanceof String s ? s : null;
    }
}

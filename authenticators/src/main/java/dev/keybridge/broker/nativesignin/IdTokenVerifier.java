package dev.keybridge.broker.nativesignin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.keybridge.broker.microsoft.MicrosoftTenants;
import org.keycloak.util.JsonSerialization;

/**
 * Checks an Apple, Google or Microsoft ID token the way an OIDC relying party must (OIDC Core 3.1.3.7):
 * signature with a key from the provider's JWKS, issuer, audience against an allow-list,
 * expiry and issue time, nonce, Google's hosted domain and Microsoft's tenant ({@link MicrosoftTenants}).
 * Only asymmetric algorithms are accepted, and the key type must match the algorithm, so
 * {@code alg:none} and HS256 signed with the public key fail.
 */
public final class IdTokenVerifier {

    /** Apple and Google tokens are about 1 KB, Microsoft's a few; anything far beyond is not theirs. */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private static final Map<String, String> JCA_ALGORITHMS = Map.of(
            "RS256", "SHA256withRSA", "RS384", "SHA384withRSA", "RS512", "SHA512withRSA",
            "ES256", "SHA256withECDSAinP1363Format", "ES384", "SHA384withECDSAinP1363Format",
            "ES512", "SHA512withECDSAinP1363Format");

    /** Finds the verification key for a kid (in production: the JWKS cache). */
    @FunctionalInterface
    public interface KeyLookup {
        JsonWebKeys.SigningKey key(String kid) throws IdTokenRejectedException;
    }

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private IdTokenVerifier() {
    }

    /**
     * @param nonce the nonce the client sent with the request, or null
     */
    public static VerifiedIdToken verify(String token, NativeSignInSettings settings, String nonce, Instant now, KeyLookup keys)
            throws IdTokenRejectedException {
        if (token == null || token.isBlank()) {
            throw new IdTokenRejectedException("subject_token is missing");
        }
        MicrosoftTenants microsoftTenants = settings.microsoftTenants();
        if (microsoftTenants != null) {
            microsoftTenants.requireConfigured(settings.alias());
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new IdTokenRejectedException("subject_token is too large to be an ID token");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new IdTokenRejectedException("subject_token is not a signed JWT (expected three dot-separated parts)");
        }
        Map<String, Object> header = json(parts[0], "header");
        String alg = string(header, "alg");
        String jcaAlgorithm = alg == null ? null : JCA_ALGORITHMS.get(alg);
        if (jcaAlgorithm == null) {
            throw new IdTokenRejectedException("ID token algorithm '" + alg + "' is not accepted (RS256/384/512, ES256/384/512 only)");
        }
        String kid = string(header, "kid");
        if (kid == null) {
            throw new IdTokenRejectedException("ID token header has no key id (kid)");
        }
        JsonWebKeys.SigningKey key = keys.key(kid);
        if (key.alg() != null && !key.alg().equals(alg)) {
            throw new IdTokenRejectedException("ID token algorithm '" + alg + "' does not match key '" + kid + "' (" + key.alg() + ")");
        }
        verifySignature(parts, alg, jcaAlgorithm, key.key());

        Map<String, Object> claims = json(parts[1], "payload");
        if (microsoftTenants != null) {
            microsoftTenants.check(claims, settings.alias());
        } else {
            checkIssuer(claims, settings);
        }
        checkAudience(claims, settings);
        checkTimes(claims, settings, now);
        checkNonce(claims, settings, nonce);
        checkHostedDomain(claims, settings);

        String subject = microsoftTenants != null ? MicrosoftTenants.subject(claims) : string(claims, "sub");
        if (subject == null || subject.isBlank()) {
            throw new IdTokenRejectedException("ID token has no subject (sub)");
        }
        boolean emailVerified = microsoftTenants != null ? MicrosoftTenants.emailProven(claims) : isTrue(claims.get("email_verified"));
        return new VerifiedIdToken(subject, string(claims, "email"), emailVerified,
                string(claims, "given_name"), string(claims, "family_name"), claims);
    }

    private static void verifySignature(String[] parts, String alg, String jcaAlgorithm, PublicKey key) throws IdTokenRejectedException {
        boolean keyFits = alg.startsWith("RS") ? key instanceof RSAPublicKey : key instanceof ECPublicKey;
        if (!keyFits) {
            throw new IdTokenRejectedException("ID token algorithm '" + alg + "' does not fit the key type " + key.getAlgorithm());
        }
        try {
            Signature verifier = Signature.getInstance(jcaAlgorithm);
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw new IdTokenRejectedException("ID token signature is invalid");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IdTokenRejectedException("ID token signature is invalid");
        }
    }

    private static void checkIssuer(Map<String, Object> claims, NativeSignInSettings settings) throws IdTokenRejectedException {
        String issuer = string(claims, "iss");
        if (issuer == null || !settings.issuers().contains(issuer)) {
            throw new IdTokenRejectedException("ID token issuer '" + issuer + "' is not the issuer of identity provider '" + settings.alias() + "'");
        }
    }

    /**
     * OIDC Core 3.1.3.7: every audience must be one we trust (not just one of them), a token with
     * several audiences must name the party it was issued to ({@code azp}), and that party, when
     * named, must be trusted too. A token minted for another app that merely lists ours is refused.
     */
    private static void checkAudience(Map<String, Object> claims, NativeSignInSettings settings) throws IdTokenRejectedException {
        Object aud = claims.get("aud");
        List<?> audiences = aud instanceof Collection<?> c ? new ArrayList<>(c) : aud == null ? List.of() : List.of(aud);
        if (audiences.isEmpty()) {
            throw new IdTokenRejectedException("ID token has no audience (aud)");
        }
        List<?> untrusted = audiences.stream().filter(a -> !(a instanceof String s && settings.audiences().contains(s))).toList();
        if (!untrusted.isEmpty()) {
            throw new IdTokenRejectedException("ID token audience " + audiences + " is not allowed for identity provider '" + settings.alias()
                    + "' (untrusted: " + untrusted + ")");
        }
        Object azp = claims.get("azp");
        if (azp == null && audiences.size() > 1) {
            throw new IdTokenRejectedException("ID token has several audiences " + audiences + " but no authorized party (azp)");
        }
        if (azp != null && !(azp instanceof String party && settings.audiences().contains(party))) {
            throw new IdTokenRejectedException("ID token authorized party (azp) '" + azp + "' is not allowed for identity provider '"
                    + settings.alias() + "'");
        }
    }

    private static void checkTimes(Map<String, Object> claims, NativeSignInSettings settings, Instant now) throws IdTokenRejectedException {
        long skew = settings.clockSkew().toSeconds();
        long nowSeconds = now.getEpochSecond();
        Long exp = seconds(claims, "exp");
        Long iat = seconds(claims, "iat");
        Long nbf = seconds(claims, "nbf");
        if (exp == null || iat == null) {
            throw new IdTokenRejectedException("ID token must carry exp and iat");
        }
        if (nowSeconds > exp + skew) {
            throw new IdTokenRejectedException("ID token has expired");
        }
        if (iat > nowSeconds + skew || (nbf != null && nbf > nowSeconds + skew)) {
            throw new IdTokenRejectedException("ID token is not valid yet (iat/nbf in the future)");
        }
    }

    private static void checkNonce(Map<String, Object> claims, NativeSignInSettings settings, String nonce) throws IdTokenRejectedException {
        String claimed = string(claims, "nonce");
        if (nonce == null || nonce.isEmpty()) {
            if (settings.nonceRequired()) {
                throw new IdTokenRejectedException("nonce is required for identity provider '" + settings.alias() + "'");
            }
            return;
        }
        if (!Objects.equals(nonce, claimed)) {
            throw new IdTokenRejectedException("ID token nonce does not match the nonce of the request");
        }
    }

    private static void checkHostedDomain(Map<String, Object> claims, NativeSignInSettings settings) throws IdTokenRejectedException {
        if (settings.hostedDomains().isEmpty()) {
            return;
        }
        String hd = string(claims, "hd");
        boolean anyHosted = settings.hostedDomains().contains("*") && hd != null;
        if (!anyHosted && (hd == null || !settings.hostedDomains().contains(hd))) {
            throw new IdTokenRejectedException("ID token hosted domain (hd) '" + hd + "' is not allowed");
        }
    }

    private static Map<String, Object> json(String part, String what) throws IdTokenRejectedException {
        Map<String, Object> value;
        try {
            value = JsonSerialization.readValue(Base64.getUrlDecoder().decode(part), JSON_OBJECT);
        } catch (IOException | IllegalArgumentException e) {
            throw new IdTokenRejectedException("ID token " + what + " is not base64url-encoded JSON");
        }
        // the JSON literal null parses without error
        if (value == null) {
            throw new IdTokenRejectedException("ID token " + what + " is not a JSON object");
        }
        return value;
    }

    private static Long seconds(Map<String, Object> claims, String name) throws IdTokenRejectedException {
        Object value = claims.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new IdTokenRejectedException("ID token claim " + name + " is not a number");
    }

    private static String string(Map<String, Object> map, String name) {
        return map.get(name) instanceof String s ? s : null;
    }

    /** Apple sends email_verified as the string "true", Google as a boolean. */
    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }
}

package dev.keybridge.broker.nativesignin;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.keybridge.broker.microsoft.MicrosoftTenants;
import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdTokenVerifierTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final String ISSUER = "https://appleid.apple.com";
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String OTHER_TENANT = "0a1b2c3d-0000-4000-8000-000000000001";

    private final KeyPair rsa = generate("RSA");
    private final KeyPair ec = generate("EC");
    private final Map<String, JsonWebKeys.SigningKey> keys = Map.of(
            "rsa-1", new JsonWebKeys.SigningKey(rsa.getPublic(), "RS256"),
            "ec-1", new JsonWebKeys.SigningKey(ec.getPublic(), null));

    private final NativeSignInSettings settings = new NativeSignInSettings("apple", Set.of(ISSUER), "https://keys",
            Set.of("services.id", "bundle.id"), Set.of(), false, true, false, true, Duration.ofSeconds(30),
            Duration.ofSeconds(3), Duration.ofHours(1), Duration.ofSeconds(10), null);

    @Test
    void acceptsRs256AndEs256TokensAndExtractsClaims() throws Exception {
        Map<String, Object> claims = claims("bundle.id");
        claims.put("email", "x@privaterelay.appleid.com");
        claims.put("email_verified", "true");
        claims.put("given_name", "Ada");
        VerifiedIdToken rs = verify(sign("RS256", "rsa-1", claims), settings, null);
        assertEquals("user-1", rs.subject());
        assertEquals("x@privaterelay.appleid.com", rs.email());
        assertTrue(rs.emailVerified());
        assertEquals("Ada", rs.givenName());
        assertEquals("user-1", verify(sign("ES256", "ec-1", claims("services.id")), settings, null).subject());
    }

    @Test
    void everyAudienceMustBeTrustedAndAnAuthorizedPartyToo() throws Exception {
        Map<String, Object> claims = claims("services.id");
        claims.put("aud", java.util.List.of("bundle.id", "services.id"));
        claims.put("azp", "bundle.id");
        assertEquals("user-1", verify(sign("RS256", "rsa-1", claims), settings, null).subject());
        claims.put("aud", java.util.List.of("com.evil.app", "services.id"));
        claims.put("azp", "com.evil.app");
        assertRejected(sign("RS256", "rsa-1", claims), settings, null, "untrusted: [com.evil.app]");
        claims.put("aud", java.util.Arrays.asList("services.id", null));
        assertRejected(sign("RS256", "rsa-1", claims), settings, null, "untrusted: [null]");
        claims.put("aud", "services.id");
        claims.put("azp", "com.evil.app");
        assertRejected(sign("RS256", "rsa-1", claims), settings, null, "authorized party (azp) 'com.evil.app'");
        claims.put("aud", java.util.List.of("bundle.id", "services.id"));
        claims.remove("azp");
        assertRejected(sign("RS256", "rsa-1", claims), settings, null, "no authorized party");
    }

    @Test
    void rejectsJsonNullHeaderOrPayload() {
        assertRejected("bnVsbA.e30.AAAA", settings, null, "header is not a JSON object");
        String signedNullPayload = b64("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}") + ".bnVsbA";
        assertRejected(signedNullPayload + "." + signature("SHA256withRSA", rsa, signedNullPayload), settings, null,
                "payload is not a JSON object");
        assertRejected("W10.e30.AAAA", settings, null, "header is not base64url-encoded JSON");
    }

    @Test
    void rejectsAlgorithmConfusion() {
        String header = b64("{\"alg\":\"none\",\"kid\":\"rsa-1\"}");
        assertRejected(header + "." + b64json(claims("services.id")) + ".", settings, null, "'none' is not accepted");
        // RS256 in the header but the kid names an EC key
        assertRejected(sign("ES256", "ec-1", claims("services.id")).replaceFirst("^[^.]+", b64("{\"alg\":\"RS256\",\"kid\":\"ec-1\"}")),
                settings, null, "does not fit the key type");
        // the JWKS pins rsa-1 to RS256
        assertRejected(signRsaAs("RS384", "SHA384withRSA", claims("services.id")), settings, null, "does not match key");
    }

    @Test
    void rejectsBadClaims() {
        assertRejected(sign("RS256", "rsa-1", with("iss", "https://evil")), settings, null, "issuer");
        assertRejected(sign("RS256", "rsa-1", claims("not.allowed")), settings, null, "audience");
        assertRejected(sign("RS256", "rsa-1", with("exp", NOW.getEpochSecond() - 31)), settings, null, "expired");
        assertRejected(sign("RS256", "rsa-1", with("iat", NOW.getEpochSecond() + 31)), settings, null, "not valid yet");
        assertRejected(sign("RS256", "rsa-1", with("nbf", NOW.getEpochSecond() + 31)), settings, null, "not valid yet");
        assertRejected(sign("RS256", "rsa-1", with("exp", null)), settings, null, "exp and iat");
        assertRejected(sign("RS256", "rsa-1", with("sub", null)), settings, null, "subject");
    }

    @Test
    void clockSkewIsTolerated() throws Exception {
        assertEquals("user-1", verify(sign("RS256", "rsa-1", with("exp", NOW.getEpochSecond() - 29)), settings, null).subject());
    }

    @Test
    void nonceMustMatchWhenSentAndCanBeRequired() throws Exception {
        Map<String, Object> claims = with("nonce", "n1");
        assertEquals("user-1", verify(sign("RS256", "rsa-1", claims), settings, "n1").subject());
        assertRejected(sign("RS256", "rsa-1", claims), settings, "n2", "nonce does not match");
        assertRejected(sign("RS256", "rsa-1", claims("services.id")), settings, "n1", "nonce does not match");
        NativeSignInSettings required = new NativeSignInSettings("apple", settings.issuers(), settings.jwksUrl(), settings.audiences(),
                Set.of(), true, true, false, true, settings.clockSkew(), settings.jwksTimeout(), settings.jwksMaxAge(), settings.jwksMinRefetchInterval(), null);
        assertRejected(sign("RS256", "rsa-1", claims), required, null, "nonce is required");
        assertEquals("user-1", verify(sign("RS256", "rsa-1", claims), required.withoutNonceRequirement(), null).subject());
    }

    @Test
    void hostedDomainRestriction() throws Exception {
        NativeSignInSettings corp = withDomains(Set.of("example.com"));
        assertEquals("user-1", verify(sign("RS256", "rsa-1", with("hd", "example.com")), corp, null).subject());
        assertRejected(sign("RS256", "rsa-1", with("hd", "evil.com")), corp, null, "hosted domain");
        assertRejected(sign("RS256", "rsa-1", claims("services.id")), corp, null, "hosted domain");
        NativeSignInSettings anyHosted = withDomains(Set.of("*"));
        assertEquals("user-1", verify(sign("RS256", "rsa-1", with("hd", "whatever.org")), anyHosted, null).subject());
        assertRejected(sign("RS256", "rsa-1", claims("services.id")), anyHosted, null, "hosted domain");
    }

    @Test
    void rejectsMalformedInput() {
        assertRejected(null, settings, null, "missing");
        assertRejected("garbage", settings, null, "three dot-separated parts");
        assertRejected("a".repeat(IdTokenVerifier.MAX_TOKEN_LENGTH + 1), settings, null, "too large");
        assertRejected("!!.!!.!!", settings, null, "base64url");
        String token = sign("RS256", "rsa-1", claims("services.id"));
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + b64json(with("sub", "victim")) + "." + parts[2];
        assertRejected(tampered, settings, null, "signature is invalid");
        assertRejected(sign("RS256", "unknown", claims("services.id")), settings, null, "unknown key id");
    }

    @Test
    void microsoftTokensMustComeFromAnAllowedTenantUnderThatTenantsIssuer() throws Exception {
        NativeSignInSettings microsoft = microsoft(Set.of(TENANT));
        VerifiedIdToken verified = verify(sign("RS256", "rsa-1", microsoftClaims(TENANT)), microsoft, null);
        assertEquals("oid-1", verified.subject(), "the person is oid, as Keycloak's browser login stores it");
        assertEquals("mo@example.org", verified.email());
        assertFalse(verified.emailVerified(), "Microsoft's email claim proves nothing by itself");
        Map<String, Object> proven = microsoftClaims(TENANT);
        proven.put("xms_edov", true);
        proven.put("email_verified", true);
        assertTrue(verify(sign("RS256", "rsa-1", proven), microsoft, null).emailVerified());
        Map<String, Object> claimedOnly = microsoftClaims(TENANT);
        claimedOnly.put("email_verified", true);
        assertFalse(verify(sign("RS256", "rsa-1", claimedOnly), microsoft, null).emailVerified(), "email_verified is not Microsoft's proof");

        assertRejected(sign("RS256", "rsa-1", microsoftClaims(OTHER_TENANT)), microsoft, null, "tenant (tid) '" + OTHER_TENANT + "' is not allowed");
        Map<String, Object> mixed = microsoftClaims(TENANT);
        mixed.put("iss", "https://login.example/" + OTHER_TENANT + "/v2.0");
        assertRejected(sign("RS256", "rsa-1", mixed), microsoft, null, "is not the issuer of its tenant");
        Map<String, Object> noTid = microsoftClaims(TENANT);
        noTid.remove("tid");
        assertRejected(sign("RS256", "rsa-1", noTid), microsoft, null, "no tenant id (tid)");
        Map<String, Object> oddTid = microsoftClaims("../" + TENANT);
        assertRejected(sign("RS256", "rsa-1", oddTid), microsoft(Set.of("*")), null, "in GUID form");
        Map<String, Object> noOid = microsoftClaims(TENANT);
        noOid.remove("oid");
        assertRejected(sign("RS256", "rsa-1", noOid), microsoft, null, "no object id (oid)");
        assertRejected(sign("RS256", "rsa-1", microsoftClaims(TENANT)), microsoft(Set.of()), null, "allows no Microsoft tenant");
        assertRejected(sign("RS256", "rsa-1", microsoftClaims(TENANT)), microsoft(Set.of("*")).withoutNonceRequirement(), "n1",
                "nonce does not match");

        Map<String, Object> personal = microsoftClaims(MicrosoftTenants.PERSONAL_ACCOUNTS_TENANT);
        assertEquals("oid-1", verify(sign("RS256", "rsa-1", personal), microsoft(Set.of("*")), null).subject());
        assertRejected(sign("RS256", "rsa-1", personal), microsoft, null, "is not allowed");
    }

    private NativeSignInSettings microsoft(Set<String> tenants) {
        return new NativeSignInSettings("microsoft", Set.of(), settings.jwksUrl(), Set.of("app-id"), Set.of(), false, true, false, true,
                settings.clockSkew(), settings.jwksTimeout(), settings.jwksMaxAge(), settings.jwksMinRefetchInterval(),
                new MicrosoftTenants("https://login.example/{tenantid}/v2.0", tenants));
    }

    private static Map<String, Object> microsoftClaims(String tenant) {
        Map<String, Object> claims = claims("app-id");
        claims.put("iss", "https://login.example/" + tenant + "/v2.0");
        claims.put("tid", tenant);
        claims.put("oid", "oid-1");
        claims.put("sub", "pairwise-sub");
        claims.put("email", "mo@example.org");
        return claims;
    }

    private NativeSignInSettings withDomains(Set<String> domains) {
        return new NativeSignInSettings("google", settings.issuers(), settings.jwksUrl(), Set.of("services.id"), domains,
                false, true, false, true, settings.clockSkew(), settings.jwksTimeout(), settings.jwksMaxAge(), settings.jwksMinRefetchInterval(), null);
    }

    private VerifiedIdToken verify(String token, NativeSignInSettings s, String nonce) throws IdTokenRejectedException {
        return IdTokenVerifier.verify(token, s, nonce, NOW, kid -> {
            JsonWebKeys.SigningKey key = keys.get(kid);
            if (key == null) {
                throw new IdTokenRejectedException("ID token signed with unknown key id '" + kid + "'");
            }
            return key;
        });
    }

    private void assertRejected(String token, NativeSignInSettings s, String nonce, String reasonPart) {
        IdTokenRejectedException e = assertThrows(IdTokenRejectedException.class, () -> verify(token, s, nonce));
        assertTrue(e.getMessage().contains(reasonPart), "reason '" + e.getMessage() + "' should contain '" + reasonPart + "'");
    }

    private static Map<String, Object> claims(String audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", audience);
        claims.put("sub", "user-1");
        claims.put("iat", NOW.getEpochSecond() - 10);
        claims.put("exp", NOW.getEpochSecond() + 600);
        return claims;
    }

    private static Map<String, Object> with(String name, Object value) {
        Map<String, Object> claims = claims("services.id");
        if (value == null) {
            claims.remove(name);
        } else {
            claims.put(name, value);
        }
        return claims;
    }

    private String sign(String alg, String kid, Map<String, Object> claims) {
        boolean isEc = alg.startsWith("ES");
        String input = b64("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}") + "." + b64json(claims);
        return input + "." + signature(isEc ? "SHA256withECDSAinP1363Format" : "SHA256withRSA", isEc ? ec : rsa, input);
    }

    private String signRsaAs(String alg, String jca, Map<String, Object> claims) {
        String input = b64("{\"alg\":\"" + alg + "\",\"kid\":\"rsa-1\"}") + "." + b64json(claims);
        return input + "." + signature(jca, rsa, input);
    }

    private static String signature(String jca, KeyPair pair, String input) {
        try {
            Signature signer = Signature.getInstance(jca);
            signer.initSign(pair.getPrivate());
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64json(Map<String, Object> claims) {
        try {
            return b64(JsonSerialization.writeValueAsString(claims));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair generate(String type) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
            if ("EC".equals(type)) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

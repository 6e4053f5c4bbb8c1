package dev.keybridge.broker.nativesignin;

import java.util.Map;

/** The claims of an ID token that passed every check, with the ones the sign-in needs pulled out. */
public record VerifiedIdToken(String subject, String email, boolean emailVerified, String givenName, String familyName,
        Map<String, Object> claims) {
}

package dev.keybridge.storage.hash;

import java.security.SecureRandom;

/**
 * Verifies a password against a hash stored by a legacy system, and writes new hashes in the same
 * (or a chosen) format. Every comparison is constant-time; anything unknown fails closed.
 */
public final class LegacyPasswordHashes {

    private static final SecureRandom RANDOM = new SecureRandom();

    private LegacyPasswordHashes() {
    }

    /**
     * @param stored    the hash from the row
     * @param algorithm the algorithm the row or the configuration names, or null to recognise it
     *                  from the hash's shape
     * @return whether the password matches
     * @throws UnsupportedHashException when the hash is missing, malformed or of an unknown format
     */
    public static boolean verify(String stored, HashAlgorithm algorithm, String password) {
        if (stored == null || stored.isBlank()) {
            throw new UnsupportedHashException("no password hash stored");
        }
        String hash = stored.trim();
        HashAlgorithm actual = algorithm != null ? algorithm : HashAlgorithm.detect(hash)
                .orElseThrow(() -> new UnsupportedHashException("unrecognised hash format"));
        return switch (actual) {
            case BCRYPT -> Bcrypt.verify(hash, password);
            case ARGON2 -> Argon2Phc.verify(hash, password);
            case PBKDF2 -> Pbkdf2.verify(hash, password);
            case MD5, SHA1, SHA256, SHA512 -> HexDigest.verify(actual, hash, password);
        };
    }

    /**
     * A new hash of {@code password} in {@code algorithm}, copying version and cost parameters
     * from {@code template} (the previous hash) when it has the same format.
     */
    public static String hash(HashAlgorithm algorithm, String password, String template) {
        return switch (algorithm) {
            case BCRYPT -> Bcrypt.hash(password, template, RANDOM);
            case ARGON2 -> Argon2Phc.hash(password, template, RANDOM);
            case PBKDF2 -> Pbkdf2.hash(password, template, RANDOM);
            case MD5, SHA1, SHA256, SHA512 -> HexDigest.hash(algorithm, password);
        };
    }
}

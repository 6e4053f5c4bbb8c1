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
        HashAlgorithm actual = algorithm(hash, algorithm);
        try {
            return switch (actual) {
                case BCRYPT -> Bcrypt.verify(hash, password);
                case ARGON2 -> Argon2Phc.verify(hash, password);
                case PBKDF2 -> Pbkdf2.verify(hash, password);
                case MD5, SHA1, SHA256, SHA512 -> HexDigest.verify(actual, hash, password);
            };
        } catch (UnsupportedHashException e) {
            throw e;
        } catch (RuntimeException e) {
            // a value the crypto library refuses (bad salt encoding, odd parameters) is a bad row, not a 500
            throw new UnsupportedHashException(actual + " hash refused by the crypto library: " + e.getMessage());
        }
    }

    /**
     * Whether a stored hash (one {@link #verify} accepts) is as strong as a new one would be: a salted,
     * tunable format at no less than the write minimums (bcrypt cost 10, argon2id m=19 MiB t=2,
     * PBKDF2 at OWASP's iterations for its PRF). Hex digests never are.
     */
    public static boolean meetsWritePolicy(String stored, HashAlgorithm algorithm) {
        String hash = stored.trim();
        return switch (algorithm(hash, algorithm)) {
            case BCRYPT -> Bcrypt.meetsWritePolicy(hash);
            case ARGON2 -> Argon2Phc.meetsWritePolicy(hash);
            case PBKDF2 -> Pbkdf2.meetsWritePolicy(hash);
            case MD5, SHA1, SHA256, SHA512 -> false;
        };
    }

    /**
     * A new hash of {@code password} in {@code algorithm}, copying version and cost parameters
     * from {@code template} (the previous hash) when it has the same format, never below the write
     * minimums (see {@link #meetsWritePolicy}).
     *
     * @throws IllegalArgumentException for an unsalted digest algorithm: those are never written
     */
    public static String hash(HashAlgorithm algorithm, String password, String template) {
        return switch (algorithm) {
            case BCRYPT -> Bcrypt.hash(password, template, RANDOM);
            case ARGON2 -> Argon2Phc.hash(password, template, RANDOM);
            case PBKDF2 -> Pbkdf2.hash(password, template, RANDOM);
            case MD5, SHA1, SHA256, SHA512 -> throw new IllegalArgumentException(algorithm + " is never written");
        };
    }

    private static HashAlgorithm algorithm(String hash, HashAlgorithm named) {
        return named != null ? named : HashAlgorithm.detect(hash)
                .orElseThrow(() -> new UnsupportedHashException("unrecognised hash format"));
    }
}

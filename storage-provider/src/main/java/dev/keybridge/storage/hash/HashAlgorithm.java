package dev.keybridge.storage.hash;

import java.util.Locale;
import java.util.Optional;

/** The password hash families the provider can verify, with the names legacy systems give them. */
public enum HashAlgorithm {
    BCRYPT,
    ARGON2,
    PBKDF2,
    MD5,
    SHA1,
    SHA256,
    SHA512;

    /** Salted, tunable formats: the only ones new passwords are written in. */
    public boolean writable() {
        return this == BCRYPT || this == ARGON2 || this == PBKDF2;
    }

    /**
     * Maps a name from an algorithm column or the fixed-algorithm setting ("bcrypt", "argon2id",
     * "pbkdf2_sha256", "SHA2_256", "sha-1", ...). Empty for names we do not know.
     */
    public static Optional<HashAlgorithm> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        if (n.equals("bcrypt") || n.equals("2a") || n.equals("2b") || n.equals("2y")) {
            return Optional.of(BCRYPT);
        }
        if (n.equals("argon2") || n.equals("argon2id") || n.equals("argon2i") || n.equals("argon2d")) {
            return Optional.of(ARGON2);
        }
        if (n.startsWith("pbkdf2")) {
            return Optional.of(PBKDF2);
        }
        return switch (n) {
            case "md5" -> Optional.of(MD5);
            case "sha1" -> Optional.of(SHA1);
            case "sha256", "sha2256" -> Optional.of(SHA256);
            case "sha512", "sha2512" -> Optional.of(SHA512);
            default -> Optional.empty();
        };
    }

    /** Recognises a stored hash by its shape; empty when it matches no supported format. */
    public static Optional<HashAlgorithm> detect(String storedHash) {
        if (storedHash == null) {
            return Optional.empty();
        }
        if (Bcrypt.matchesFormat(storedHash)) {
            return Optional.of(BCRYPT);
        }
        if (Argon2Phc.matchesFormat(storedHash)) {
            return Optional.of(ARGON2);
        }
        if (Pbkdf2.matchesFormat(storedHash)) {
            return Optional.of(PBKDF2);
        }
        return HexDigest.algorithmForLength(storedHash);
    }
}

package dev.keybridge.storage.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Unsalted MD5/SHA-1/SHA-256/SHA-512 of the UTF-8 password, stored as hex (either case). */
final class HexDigest {

    private HexDigest() {
    }

    static Optional<HashAlgorithm> algorithmForLength(String stored) {
        if (!stored.matches("[0-9a-fA-F]+")) {
            return Optional.empty();
        }
        return switch (stored.length()) {
            case 32 -> Optional.of(HashAlgorithm.MD5);
            case 40 -> Optional.of(HashAlgorithm.SHA1);
            case 64 -> Optional.of(HashAlgorithm.SHA256);
            case 128 -> Optional.of(HashAlgorithm.SHA512);
            default -> Optional.empty();
        };
    }

    static boolean verify(HashAlgorithm algorithm, String stored, String password) {
        if (algorithmForLength(stored).orElse(null) != algorithm) {
            throw new UnsupportedHashException("not a " + algorithm + " hex digest");
        }
        byte[] expected = HexFormat.of().parseHex(stored);
        return MessageDigest.isEqual(expected, digest(algorithm, password));
    }

    private static byte[] digest(HashAlgorithm algorithm, String password) {
        String name = switch (algorithm) {
            case MD5 -> "MD5";
            case SHA1 -> "SHA-1";
            case SHA256 -> "SHA-256";
            case SHA512 -> "SHA-512";
            default -> throw new IllegalArgumentException(algorithm + " is not a plain digest");
        };
        try {
            return MessageDigest.getInstance(name).digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + name, e);
        }
    }
}

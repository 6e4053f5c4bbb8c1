package dev.keybridge.storage.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Argon2 in the PHC string format: {@code $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>}. */
final class Argon2Phc {

    private static final Pattern FORMAT = Pattern.compile(
            "^\\$(argon2id|argon2i|argon2d)\\$(?:v=(\\d+)\\$)?m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)$");
    /**
     * OWASP's argon2id minimum, used when there is no previous hash to copy parameters from (only
     * its parameters are read; salt and hash are placeholders).
     */
    private static final String DEFAULT_TEMPLATE = "$argon2id$v=19$m=19456,t=2,p=1$AA$AA";
    private static final int MAX_MEMORY_KB = 1 << 21;
    private static final int MAX_ITERATIONS = 100;
    private static final int MAX_PARALLELISM = 64;

    private Argon2Phc() {
    }

    static boolean matchesFormat(String stored) {
        return FORMAT.matcher(stored).matches();
    }

    static boolean verify(String stored, String password) {
        Matcher m = FORMAT.matcher(stored);
        if (!m.matches()) {
            throw new UnsupportedHashException("not an argon2 PHC string");
        }
        byte[] expected = PhcBase64.decode(m.group(7));
        byte[] actual = derive(m, PhcBase64.decode(m.group(6)), password, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** A new argon2 hash with the variant and cost parameters of {@code template} when it is one. */
    static String hash(String password, String template, SecureRandom random) {
        Matcher m = FORMAT.matcher(template != null && matchesFormat(template) ? template : DEFAULT_TEMPLATE);
        m.matches();
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = derive(m, salt, password, 32);
        String version = m.group(2) == null ? "" : "v=" + m.group(2) + "$";
        return "$" + m.group(1) + "$" + version + "m=" + m.group(3) + ",t=" + m.group(4) + ",p=" + m.group(5)
                + "$" + PhcBase64.encode(salt) + "$" + PhcBase64.encode(hash);
    }

    private static byte[] derive(Matcher m, byte[] salt, String password, int length) {
        int type = switch (m.group(1)) {
            case "argon2id" -> Argon2Parameters.ARGON2_id;
            case "argon2i" -> Argon2Parameters.ARGON2_i;
            default -> Argon2Parameters.ARGON2_d;
        };
        int version = m.group(2) == null ? Argon2Parameters.ARGON2_VERSION_10 : Integer.parseInt(m.group(2));
        if (version != Argon2Parameters.ARGON2_VERSION_10 && version != Argon2Parameters.ARGON2_VERSION_13) {
            throw new UnsupportedHashException("argon2 version " + version);
        }
        int memory = parseBounded(m.group(3), MAX_MEMORY_KB, "memory");
        int iterations = parseBounded(m.group(4), MAX_ITERATIONS, "iterations");
        int parallelism = parseBounded(m.group(5), MAX_PARALLELISM, "parallelism");
        Argon2Parameters parameters = new Argon2Parameters.Builder(type)
                .withVersion(version)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    /** A stored row must not be able to make one login allocate gigabytes or spin for minutes. */
    private static int parseBounded(String digits, int max, String name) {
        long value = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (value < 1 || value > max) {
            throw new UnsupportedHashException("argon2 " + name + " out of range: " + digits);
        }
        return (int) value;
    }
}

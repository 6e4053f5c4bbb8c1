package dev.keybridge.storage.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2 in the PHC string format: {@code $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>}.
 * <p>
 * A stored row is verified only within bounds, so a hostile or broken row can neither make one login
 * allocate gigabytes nor match by a too-short tag. New hashes are argon2id with at least OWASP's
 * minimum (m=19 MiB, t=2, p=1).
 */
final class Argon2Phc {

    private static final Pattern FORMAT = Pattern.compile(
            "^\\$(argon2id|argon2i|argon2d)\\$(?:v=(\\d+)\\$)?m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)$");
    /** OWASP's argon2id minimum: the least a new hash costs. */
    static final int MIN_WRITE_MEMORY_KB = 19_456;
    static final int MIN_WRITE_ITERATIONS = 2;
    /** 64 MiB: the defaults of PHP, node-argon2 and argon2-cffi; the most one verification may allocate. */
    static final int MAX_VERIFY_MEMORY_KB = 65_536;
    static final int MAX_VERIFY_ITERATIONS = 10;
    static final int MAX_VERIFY_PARALLELISM = 16;
    static final int MIN_SALT_BYTES = 8;
    static final int MIN_HASH_BYTES = 16;
    static final int MAX_HASH_BYTES = 64;

    private record Parameters(int type, int version, int memoryKb, int iterations, int parallelism) {
    }

    private Argon2Phc() {
    }

    static boolean matchesFormat(String stored) {
        return FORMAT.matcher(stored).matches();
    }

    static boolean verify(String stored, String password) {
        Matcher m = matcher(stored);
        Parameters parameters = parameters(m);
        byte[] salt = PhcBase64.decode(m.group(6));
        byte[] expected = PhcBase64.decode(m.group(7));
        if (salt.length < MIN_SALT_BYTES) {
            throw new UnsupportedHashException("argon2 salt of " + salt.length + " bytes, fewer than " + MIN_SALT_BYTES);
        }
        if (expected.length < MIN_HASH_BYTES || expected.length > MAX_HASH_BYTES) {
            throw new UnsupportedHashException("argon2 hash of " + expected.length + " bytes, outside "
                    + MIN_HASH_BYTES + ".." + MAX_HASH_BYTES);
        }
        return MessageDigest.isEqual(expected, derive(parameters, salt, password, expected.length));
    }

    static boolean meetsWritePolicy(String stored) {
        Parameters p = parameters(matcher(stored));
        return p.type() == Argon2Parameters.ARGON2_id && p.version() == Argon2Parameters.ARGON2_VERSION_13
                && p.memoryKb() >= MIN_WRITE_MEMORY_KB && p.iterations() >= MIN_WRITE_ITERATIONS;
    }

    /**
     * A new argon2id hash with the cost parameters of {@code template} when it is an argon2 hash within
     * the bounds, each raised to the write minimum.
     */
    static String hash(String password, String template, SecureRandom random) {
        int memory = MIN_WRITE_MEMORY_KB;
        int iterations = MIN_WRITE_ITERATIONS;
        int parallelism = 1;
        if (template != null && matchesFormat(template)) {
            try {
                Parameters previous = parameters(matcher(template));
                memory = Math.max(memory, previous.memoryKb());
                iterations = Math.max(iterations, previous.iterations());
                parallelism = previous.parallelism();
            } catch (UnsupportedHashException outOfBounds) {
                // a template outside the bounds is not copied: the minimum applies
            }
        }
        Parameters parameters = new Parameters(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13,
                memory, iterations, parallelism);
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = derive(parameters, salt, password, 32);
        return "$argon2id$v=19$m=" + memory + ",t=" + iterations + ",p=" + parallelism
                + "$" + PhcBase64.encode(salt) + "$" + PhcBase64.encode(hash);
    }

    private static Matcher matcher(String stored) {
        Matcher m = FORMAT.matcher(stored);
        if (!m.matches()) {
            throw new UnsupportedHashException("not an argon2 PHC string");
        }
        return m;
    }

    private static Parameters parameters(Matcher m) {
        int type = switch (m.group(1)) {
            case "argon2id" -> Argon2Parameters.ARGON2_id;
            case "argon2i" -> Argon2Parameters.ARGON2_i;
            default -> Argon2Parameters.ARGON2_d;
        };
        int version = m.group(2) == null ? Argon2Parameters.ARGON2_VERSION_10 : bounded(m.group(2), 0, 255, "version");
        if (version != Argon2Parameters.ARGON2_VERSION_10 && version != Argon2Parameters.ARGON2_VERSION_13) {
            throw new UnsupportedHashException("argon2 version " + version);
        }
        int parallelism = bounded(m.group(5), 1, MAX_VERIFY_PARALLELISM, "parallelism");
        // the format requires at least 8 KiB per lane
        int memory = bounded(m.group(3), 8 * parallelism, MAX_VERIFY_MEMORY_KB, "memory (KiB)");
        int iterations = bounded(m.group(4), 1, MAX_VERIFY_ITERATIONS, "iterations");
        return new Parameters(type, version, memory, iterations, parallelism);
    }

    private static byte[] derive(Parameters p, byte[] salt, String password, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(p.type())
                .withVersion(p.version())
                .withMemoryAsKB(p.memoryKb())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .withSalt(salt)
                .build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    private static int bounded(String digits, int min, int max, String name) {
        long value = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (value < min || value > max) {
            throw new UnsupportedHashException("argon2 " + name + " " + digits + " outside " + min + ".." + max);
        }
        return (int) value;
    }
}

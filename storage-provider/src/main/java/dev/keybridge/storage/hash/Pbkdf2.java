package dev.keybridge.storage.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * PBKDF2 in the two shapes legacy systems store:
 * <ul>
 *   <li>PHC / passlib / pbkdf2_elixir: {@code $pbkdf2-sha256$29000$<salt>$<hash>} or
 *       {@code $pbkdf2-sha512$i=10000,l=64$<salt>$<hash>} (base64 without padding, '.' or '+');
 *       {@code $pbkdf2$} alone is SHA-1;</li>
 *   <li>Django: {@code pbkdf2_sha256$260000$<salt text>$<base64 hash>}.</li>
 * </ul>
 * A stored hash is verified only within bounds (work, salt and derived-key length: a 1-byte key
 * would match one password in 256). New hashes use at least OWASP's iteration count for their PRF.
 */
final class Pbkdf2 {

    private static final Pattern PHC = Pattern.compile(
            "^\\$pbkdf2(?:-(sha1|sha256|sha512))?\\$(?:(\\d+)|i=(\\d+)(?:,l=\\d+)?)\\$([A-Za-z0-9+/.]+)\\$([A-Za-z0-9+/.]+)$");
    private static final Pattern DJANGO = Pattern.compile(
            "^pbkdf2_(sha1|sha256|sha512)\\$(\\d+)\\$([^$]+)\\$([A-Za-z0-9+/]+={0,2})$");
    /**
     * The most PRF work one verification may take: iterations times output blocks. PBKDF2-SHA256 at
     * 2,000,000 takes about 2 s here; Django 6 writes 1,200,000.
     */
    static final long MAX_VERIFY_WORK = 2_000_000;
    static final int MIN_SALT_BYTES = 8;
    static final int MIN_HASH_BYTES = 16;
    private static final String DJANGO_SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** One stored PBKDF2 hash, taken apart. {@code phcPrefix} is null for Django's shape. */
    private record Stored(String prf, long iterations, byte[] salt, byte[] hash, boolean django, String phcPrefix,
                          boolean explicitLength) {
    }

    private Pbkdf2() {
    }

    /** OWASP's iteration count for the PRF: the least a new hash gets. */
    static int minWriteIterations(String prf) {
        return switch (prf) {
            case "sha1" -> 1_300_000;
            case "sha256" -> 600_000;
            default -> 210_000;
        };
    }

    static boolean matchesFormat(String stored) {
        return PHC.matcher(stored).matches() || DJANGO.matcher(stored).matches();
    }

    static boolean verify(String stored, String password) {
        Stored s = parse(stored);
        int blocks = blocks(s.prf(), s.hash().length);
        if (s.iterations() < 1 || s.iterations() * blocks > MAX_VERIFY_WORK) {
            throw new UnsupportedHashException("PBKDF2 work of " + s.iterations() + " iterations x " + blocks
                    + " blocks outside 1.." + MAX_VERIFY_WORK);
        }
        if (s.salt().length < MIN_SALT_BYTES) {
            throw new UnsupportedHashException("PBKDF2 salt of " + s.salt().length + " bytes, fewer than " + MIN_SALT_BYTES);
        }
        if (s.hash().length < MIN_HASH_BYTES) {
            throw new UnsupportedHashException("PBKDF2 derived key of " + s.hash().length + " bytes, fewer than " + MIN_HASH_BYTES);
        }
        byte[] actual = derive(s.prf(), password, s.salt(), (int) s.iterations(), s.hash().length);
        return MessageDigest.isEqual(s.hash(), actual);
    }

    static boolean meetsWritePolicy(String stored) {
        Stored s = parse(stored);
        return s.iterations() >= minWriteIterations(s.prf()) && s.hash().length >= MIN_HASH_BYTES;
    }

    /**
     * A new hash in the shape and PRF of {@code template}, or a PHC PBKDF2-SHA256 string when there is
     * none; iterations at least OWASP's figure, one output block (so the work bound holds).
     */
    static String hash(String password, String template, SecureRandom random) {
        Stored previous = template != null && matchesFormat(template) ? parse(template) : null;
        String prf = previous == null ? "sha256" : previous.prf();
        int iterations = (int) Math.min(MAX_VERIFY_WORK, Math.max(minWriteIterations(prf),
                previous == null ? 0 : previous.iterations()));
        int length = digest(prf).getDigestSize();
        if (previous != null && previous.django()) {
            StringBuilder salt = new StringBuilder();
            for (int i = 0; i < 22; i++) {
                salt.append(DJANGO_SALT_CHARS.charAt(random.nextInt(DJANGO_SALT_CHARS.length())));
            }
            byte[] hash = derive(prf, password, salt.toString().getBytes(StandardCharsets.UTF_8), iterations, length);
            return "pbkdf2_" + prf + "$" + iterations + "$" + salt + "$" + Base64.getEncoder().encodeToString(hash);
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = derive(prf, password, salt, iterations, length);
        if (previous != null && !previous.explicitLength()) {
            // passlib's shape: "$pbkdf2-sha256$<rounds>$", adapted base64
            return previous.phcPrefix() + "$" + iterations + "$" + PhcBase64.encodeAdapted(salt) + "$"
                    + PhcBase64.encodeAdapted(hash);
        }
        return "$pbkdf2-" + prf + "$i=" + iterations + ",l=" + length + "$" + PhcBase64.encode(salt)
                + "$" + PhcBase64.encode(hash);
    }

    private static Stored parse(String stored) {
        Matcher phc = PHC.matcher(stored);
        if (phc.matches()) {
            String prf = phc.group(1) == null ? "sha1" : phc.group(1);
            boolean explicitLength = phc.group(3) != null;
            return new Stored(prf, digits(explicitLength ? phc.group(3) : phc.group(2)), PhcBase64.decode(phc.group(4)),
                    PhcBase64.decode(phc.group(5)), false, stored.substring(0, stored.indexOf('$', 1)), explicitLength);
        }
        Matcher django = DJANGO.matcher(stored);
        if (django.matches()) {
            byte[] hash;
            try {
                hash = Base64.getDecoder().decode(django.group(4));
            } catch (IllegalArgumentException e) {
                throw new UnsupportedHashException("bad base64 in Django hash");
            }
            return new Stored(django.group(1), digits(django.group(2)), django.group(3).getBytes(StandardCharsets.UTF_8),
                    hash, true, null, false);
        }
        throw new UnsupportedHashException("not a PBKDF2 hash");
    }

    private static long digits(String digits) {
        return digits.length() > 12 ? Long.MAX_VALUE / 1024 : Long.parseLong(digits);
    }

    private static int blocks(String prf, int length) {
        int size = digest(prf).getDigestSize();
        return (length + size - 1) / size;
    }

    private static byte[] derive(String prf, String password, byte[] salt, int iterations, int length) {
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(digest(prf));
        generator.init(password.getBytes(StandardCharsets.UTF_8), salt, iterations);
        return ((KeyParameter) generator.generateDerivedParameters(length * 8)).getKey();
    }

    private static Digest digest(String prf) {
        return switch (prf) {
            case "sha1" -> new SHA1Digest();
            case "sha256" -> new SHA256Digest();
            default -> new SHA512Digest();
        };
    }
}

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
 */
final class Pbkdf2 {

    private static final Pattern PHC = Pattern.compile(
            "^\\$pbkdf2(?:-(sha1|sha256|sha512))?\\$(?:(\\d+)|i=(\\d+)(?:,l=\\d+)?)\\$([A-Za-z0-9+/.]+)\\$([A-Za-z0-9+/.]+)$");
    private static final Pattern DJANGO = Pattern.compile(
            "^pbkdf2_(sha1|sha256|sha512)\\$(\\d+)\\$([^$]+)\\$([A-Za-z0-9+/]+={0,2})$");
    /** OWASP's figure for PBKDF2-HMAC-SHA256, for new hashes without a previous one. */
    private static final int DEFAULT_ITERATIONS = 600_000;
    /** A stored row must not be able to pin a CPU for minutes on one login. */
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final String DJANGO_SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private Pbkdf2() {
    }

    static boolean matchesFormat(String stored) {
        return PHC.matcher(stored).matches() || DJANGO.matcher(stored).matches();
    }

    static boolean verify(String stored, String password) {
        Matcher phc = PHC.matcher(stored);
        if (phc.matches()) {
            byte[] expected = PhcBase64.decode(phc.group(5));
            byte[] actual = derive(phc.group(1) == null ? "sha1" : phc.group(1), password,
                    PhcBase64.decode(phc.group(4)), iterations(phc.group(2) != null ? phc.group(2) : phc.group(3)),
                    expected.length);
            return MessageDigest.isEqual(expected, actual);
        }
        Matcher django = DJANGO.matcher(stored);
        if (django.matches()) {
            byte[] expected;
            try {
                expected = Base64.getDecoder().decode(django.group(4));
            } catch (IllegalArgumentException e) {
                throw new UnsupportedHashException("bad base64 in Django hash");
            }
            byte[] actual = derive(django.group(1), password, django.group(3).getBytes(StandardCharsets.UTF_8),
                    iterations(django.group(2)), expected.length);
            return MessageDigest.isEqual(expected, actual);
        }
        throw new UnsupportedHashException("not a PBKDF2 hash");
    }

    /**
     * A new hash in the shape, digest and iteration count of {@code template}, or a PHC
     * PBKDF2-SHA256 string when there is none.
     */
    static String hash(String password, String template, SecureRandom random) {
        Matcher django = template == null ? null : DJANGO.matcher(template);
        if (django != null && django.matches()) {
            StringBuilder salt = new StringBuilder();
            for (int i = 0; i < 22; i++) {
                salt.append(DJANGO_SALT_CHARS.charAt(random.nextInt(DJANGO_SALT_CHARS.length())));
            }
            int iterations = iterations(django.group(2));
            byte[] hash = derive(django.group(1), password, salt.toString().getBytes(StandardCharsets.UTF_8),
                    iterations, digest(django.group(1)).getDigestSize());
            return "pbkdf2_" + django.group(1) + "$" + iterations + "$" + salt + "$"
                    + Base64.getEncoder().encodeToString(hash);
        }
        Matcher phc = template == null ? null : PHC.matcher(template);
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        if (phc != null && phc.matches()) {
            String algorithm = phc.group(1) == null ? "sha1" : phc.group(1);
            int outputLength = PhcBase64.decode(phc.group(5)).length;
            if (phc.group(2) != null) {
                int iterations = iterations(phc.group(2));
                byte[] hash = derive(algorithm, password, salt, iterations, outputLength);
                return template.substring(0, template.indexOf('$', 1)) + "$" + iterations + "$"
                        + PhcBase64.encodeAdapted(salt) + "$" + PhcBase64.encodeAdapted(hash);
            }
            return phcString(algorithm, password, salt, iterations(phc.group(3)), outputLength);
        }
        return phcString("sha256", password, salt, DEFAULT_ITERATIONS, 32);
    }

    private static String phcString(String algorithm, String password, byte[] salt, int iterations, int length) {
        byte[] hash = derive(algorithm, password, salt, iterations, length);
        return "$pbkdf2-" + algorithm + "$i=" + iterations + ",l=" + length + "$" + PhcBase64.encode(salt)
                + "$" + PhcBase64.encode(hash);
    }

    private static int iterations(String digits) {
        long value = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (value < 1 || value > MAX_ITERATIONS) {
            throw new UnsupportedHashException("PBKDF2 iteration count out of range: " + digits);
        }
        return (int) value;
    }

    private static byte[] derive(String algorithm, String password, byte[] salt, int iterations, int length) {
        if (length < 1 || length > 1024) {
            throw new UnsupportedHashException("PBKDF2 output length out of range: " + length);
        }
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(digest(algorithm));
        generator.init(password.getBytes(StandardCharsets.UTF_8), salt, iterations);
        return ((KeyParameter) generator.generateDerivedParameters(length * 8)).getKey();
    }

    private static Digest digest(String algorithm) {
        return switch (algorithm) {
            case "sha1" -> new SHA1Digest();
            case "sha256" -> new SHA256Digest();
            default -> new SHA512Digest();
        };
    }
}

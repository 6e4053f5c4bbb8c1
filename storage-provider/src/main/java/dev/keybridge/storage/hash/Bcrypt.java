package dev.keybridge.storage.hash;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt in the $2a$/$2b$/$2y$ modular-crypt format, as written by node bcrypt, PHP and Spring. */
final class Bcrypt {

    private static final Pattern FORMAT = Pattern.compile("^\\$(2[aby])\\$(\\d{2})\\$[./A-Za-z0-9]{53}$");
    /** The least cost written (TimeLapseMe's, and OWASP's minimum); a cheaper stored hash is upgraded. */
    static final int MIN_WRITE_COST = 10;
    /** The most a stored row may ask for: each step doubles the work, cost 14 is about a second. */
    static final int MAX_VERIFY_COST = 14;
    private static final int MIN_COST = 4;
    private static final int MAX_PASSWORD_BYTES = 72;

    private Bcrypt() {
    }

    static boolean matchesFormat(String stored) {
        return FORMAT.matcher(stored).matches();
    }

    static boolean verify(String stored, String password) {
        int cost = cost(stored);
        if (cost < MIN_COST || cost > MAX_VERIFY_COST) {
            throw new UnsupportedHashException("bcrypt cost " + cost + " outside " + MIN_COST + ".." + MAX_VERIFY_COST);
        }
        // bcrypt reads only the first 72 bytes and the originals (node bcrypt, PHP) truncate there,
        // so a longer password must still verify. OpenBSDBCrypt compares in constant time.
        return OpenBSDBCrypt.checkPassword(stored, truncate(password));
    }

    static boolean meetsWritePolicy(String stored) {
        return cost(stored) >= MIN_WRITE_COST;
    }

    /**
     * A new hash with the version and cost of {@code template} when it is a bcrypt hash within the
     * bounds, raised to {@link #MIN_WRITE_COST}.
     */
    static String hash(String password, String template, SecureRandom random) {
        String version = "2b";
        int cost = MIN_WRITE_COST;
        Matcher m = template == null ? null : FORMAT.matcher(template);
        if (m != null && m.matches() && Integer.parseInt(m.group(2)) <= MAX_VERIFY_COST) {
            version = m.group(1);
            cost = Math.max(MIN_WRITE_COST, Integer.parseInt(m.group(2)));
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate(version, truncate(password), salt, cost);
    }

    private static int cost(String stored) {
        Matcher m = FORMAT.matcher(stored);
        if (!m.matches()) {
            throw new UnsupportedHashException("not a bcrypt hash");
        }
        return Integer.parseInt(m.group(2));
    }

    private static byte[] truncate(String password) {
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        return utf8.length <= MAX_PASSWORD_BYTES ? utf8 : Arrays.copyOf(utf8, MAX_PASSWORD_BYTES);
    }
}

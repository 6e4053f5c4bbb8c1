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
    /** TimeLapseMe's cost; used when a new hash has no previous one to copy the cost from. */
    static final int DEFAULT_COST = 10;
    private static final int MAX_PASSWORD_BYTES = 72;

    private Bcrypt() {
    }

    static boolean matchesFormat(String stored) {
        return FORMAT.matcher(stored).matches();
    }

    static boolean verify(String stored, String password) {
        if (!matchesFormat(stored)) {
            throw new UnsupportedHashException("not a bcrypt hash");
        }
        // bcrypt reads only the first 72 bytes and the originals (node bcrypt, PHP) truncate there,
        // so a longer password must still verify. OpenBSDBCrypt compares in constant time.
        return OpenBSDBCrypt.checkPassword(stored, truncate(password));
    }

    /** A new hash with the version and cost of {@code template} when it is a bcrypt hash. */
    static String hash(String password, String template, SecureRandom random) {
        String version = "2b";
        int cost = DEFAULT_COST;
        Matcher m = template == null ? null : FORMAT.matcher(template);
        if (m != null && m.matches()) {
            version = m.group(1);
            cost = Integer.parseInt(m.group(2));
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate(version, truncate(password), salt, cost);
    }

    private static byte[] truncate(String password) {
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        return utf8.length <= MAX_PASSWORD_BYTES ? utf8 : Arrays.copyOf(utf8, MAX_PASSWORD_BYTES);
    }
}

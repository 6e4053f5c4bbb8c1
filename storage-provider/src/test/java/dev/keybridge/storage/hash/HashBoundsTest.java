package dev.keybridge.storage.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a stored row may ask of a verification, and the least a written hash costs. */
class HashBoundsTest {

    private static final String SALT = b64(new byte[16]);
    private static final String HASH32 = b64(new byte[32]);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "argon2 2 GiB of memory      | $argon2id$v=19$m=2097152,t=1,p=1$SALT$HASH32",
            "argon2 128 MiB of memory    | $argon2id$v=19$m=131072,t=1,p=1$SALT$HASH32",
            "argon2 11 passes            | $argon2id$v=19$m=19456,t=11,p=1$SALT$HASH32",
            "argon2 17 lanes             | $argon2id$v=19$m=19456,t=2,p=17$SALT$HASH32",
            "argon2 less memory than 8/lane | $argon2id$v=19$m=8,t=2,p=2$SALT$HASH32",
            "argon2 4-byte salt          | $argon2id$v=19$m=19456,t=2,p=1$AAAAAA$HASH32",
            "argon2 8-byte tag           | $argon2id$v=19$m=19456,t=2,p=1$SALT$AAAAAAAAAAA",
            "pbkdf2 1-byte derived key   | $pbkdf2-sha256$i=1000,l=1$SALT$AA",
            "pbkdf2 8-byte derived key   | $pbkdf2-sha256$i=1000,l=8$SALT$AAAAAAAAAAA",
            "pbkdf2 2,000,001 iterations | $pbkdf2-sha256$2000001$SALT$HASH32",
            "pbkdf2 sha1 4 blocks x 600k | $pbkdf2$i=600000,l=80$SALT$HASH80",
            "pbkdf2 4-byte salt          | $pbkdf2-sha256$29000$AAAAAA$HASH32",
            "django 1-char salt          | pbkdf2_sha256$260000$x$22SH3XpTEwqnzwHuZoo0yi6ijuRTg1jET0hDY7xdJM0=",
            "django 3-byte key           | pbkdf2_sha256$260000$Qx7oJmYV3vK2$AAAA",
            "bcrypt cost 15              | $2b$15$Js/udrEfJXz2ZHdcrpZ1DeZzWk2oLklQy2rj2I4R6r/aUwHdok2mi",
            "bcrypt cost 31              | $2b$31$Js/udrEfJXz2ZHdcrpZ1DeZzWk2oLklQy2rj2I4R6r/aUwHdok2mi",
            "bcrypt cost 3               | $2b$03$Js/udrEfJXz2ZHdcrpZ1DeZzWk2oLklQy2rj2I4R6r/aUwHdok2mi",
    })
    void rowsOutsideTheBoundsAreRefusedWithoutTheWork(String kind, String template) {
        String stored = template.replace("SALT", SALT).replace("HASH32", HASH32).replace("HASH80", b64(new byte[80]));
        assertTimeoutPreemptively(Duration.ofMillis(500), () ->
                assertThrows(UnsupportedHashException.class, () -> LegacyPasswordHashes.verify(stored, null, "any"), kind));
    }

    @Test
    void aOneByteKeyMatchedOnePasswordIn256BeforeTheBound() {
        // the row an attacker would plant: one byte derived from "right"; some other password shares it
        String stored = "$pbkdf2-sha256$i=1,l=1$" + SALT + "$" + b64(new byte[] {derive1("right")});
        String collision = null;
        for (int i = 0; collision == null; i++) {
            if (derive1("wrong" + i) == derive1("right")) {
                collision = "wrong" + i;
            }
        }
        String other = collision;
        assertThrows(UnsupportedHashException.class, () -> LegacyPasswordHashes.verify(stored, null, other));
    }

    @Test
    void theLargestRowsWithinTheBoundsStillVerify() {
        String argon2 = LegacyPasswordHashes.hash(HashAlgorithm.ARGON2, "pw", "$argon2id$v=19$m=65536,t=2,p=4$" + SALT + "$" + HASH32);
        String bcrypt = OpenBSDBCrypt.generate("pw".toCharArray(), new byte[16], 12);

        assertTrue(argon2.startsWith("$argon2id$v=19$m=65536,t=2,p=4$"), argon2);
        assertTrue(LegacyPasswordHashes.verify(argon2, null, "pw"));
        assertTrue(LegacyPasswordHashes.verify(bcrypt, null, "pw"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "md5 hex             | 98dc01551b0912665981c39ef8aa4ab7 | false",
            "sha256 hex          | 0cf0ec557c503b2867a97cb1464111b8699e6aaeb938b6620cb68cac69db2895 | false",
            "bcrypt cost 10      | $2a$10$NhmNhXzUViLcHnG9EEfOROJoCd8nQGGMJPiVcnGpwghN7uCtf4zBy | true",
            "argon2id OWASP min  | $argon2id$v=19$m=19456,t=2,p=1$GTSvNP6vLDKhwfU9AQL0pQ$sUVam5LrvOD89uLfOBNcAzLPIrWA3xPx6OXTMWhe+3s | true",
            "argon2i 4 MiB       | $argon2i$v=19$m=4096,t=3,p=1$gmDGa4w47t7vBDc2Gyjtkg$PiigsWhn2VdFx/IGso+w/yVIAFlb+Pgqv/044dqFRug | false",
            "passlib 29000       | $pbkdf2-sha256$29000$u9x4xhWWVcXrJNXQj1UOMw$5db49x6BUkO0cUoEsr7iC2mi9KGlwKCH3oktBGK89y0 | false",
            "django 260000       | pbkdf2_sha256$260000$Qx7oJmYV3vK2$22SH3XpTEwqnzwHuZoo0yi6ijuRTg1jET0hDY7xdJM0= | false",
    })
    void weakOrCheapHashesDoNotMeetTheWritePolicy(String kind, String stored, boolean meets) {
        assertEquals(meets, LegacyPasswordHashes.meetsWritePolicy(stored, null), kind);
    }

    @Test
    void aCheapBcryptIsRaisedToCostTenAndMeetsThePolicyThen() {
        String cheap = OpenBSDBCrypt.generate("2y", "pw".toCharArray(), new byte[16], 4);
        assertFalse(LegacyPasswordHashes.meetsWritePolicy(cheap, null));

        String written = LegacyPasswordHashes.hash(HashAlgorithm.BCRYPT, "pw", cheap);

        assertTrue(written.startsWith("$2y$10$"), written);
        assertTrue(LegacyPasswordHashes.meetsWritePolicy(written, null));
    }

    @ParameterizedTest
    @CsvSource({"sha1, 1300000", "sha256, 600000", "sha512, 210000"})
    void pbkdf2IsWrittenWithOwaspsIterationsForItsPrf(String prf, int iterations) {
        String written = LegacyPasswordHashes.hash(HashAlgorithm.PBKDF2, "pw", "$pbkdf2-" + prf + "$i=1000,l=20$" + SALT + "$" + b64(new byte[20]));

        assertTrue(written.startsWith("$pbkdf2-" + prf + "$i=" + iterations + ","), written);
        assertTrue(LegacyPasswordHashes.meetsWritePolicy(written, null));
        assertTrue(LegacyPasswordHashes.verify(written, null, "pw"));
    }

    @Test
    void hexDigestsAreNeverWritten() {
        for (HashAlgorithm digest : new HashAlgorithm[] {HashAlgorithm.MD5, HashAlgorithm.SHA1, HashAlgorithm.SHA256, HashAlgorithm.SHA512}) {
            assertFalse(digest.writable());
            assertThrows(IllegalArgumentException.class, () -> LegacyPasswordHashes.hash(digest, "pw", null));
        }
    }

    @Test
    void aTemplateOutsideTheBoundsIsNotCopied() {
        String written = LegacyPasswordHashes.hash(HashAlgorithm.BCRYPT, "pw", "$2b$31$Js/udrEfJXz2ZHdcrpZ1DeZzWk2oLklQy2rj2I4R6r/aUwHdok2mi");

        assertTrue(written.startsWith("$2b$10$"), written);
    }

    private static byte derive1(String password) {
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
        generator.init(password.getBytes(StandardCharsets.UTF_8), new byte[16], 1);
        return ((KeyParameter) generator.generateDerivedParameters(8)).getKey()[0];
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }
}

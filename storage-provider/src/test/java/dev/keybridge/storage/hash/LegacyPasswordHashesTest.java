package dev.keybridge.storage.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hashes made by other implementations (node bcryptjs, hash-wasm, Python hashlib; see
 * the README (mysql-users section)), so these check compatibility and not just a round trip.
 */
class LegacyPasswordHashesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bcrypt 2b | Moo00!_*&     | $2b$10$Js/udrEfJXz2ZHdcrpZ1DeZzWk2oLklQy2rj2I4R6r/aUwHdok2mi",
            "bcrypt 2a | bob-secret    | $2a$10$NhmNhXzUViLcHnG9EEfOROJoCd8nQGGMJPiVcnGpwghN7uCtf4zBy",
            "bcrypt 2y | yvonne-secret | $2y$10$lQSLV3GjmceKNkFKPLOcJ.rGJe3Inf0OVZ2sd2ZpVBkeYHZQAuJvm",
            "argon2id  | carol-secret  | $argon2id$v=19$m=19456,t=2,p=1$GTSvNP6vLDKhwfU9AQL0pQ$sUVam5LrvOD89uLfOBNcAzLPIrWA3xPx6OXTMWhe+3s",
            "argon2i   | dave-secret   | $argon2i$v=19$m=4096,t=3,p=1$gmDGa4w47t7vBDc2Gyjtkg$PiigsWhn2VdFx/IGso+w/yVIAFlb+Pgqv/044dqFRug",
            "pbkdf2 passlib | erin-secret | $pbkdf2-sha256$29000$u9x4xhWWVcXrJNXQj1UOMw$5db49x6BUkO0cUoEsr7iC2mi9KGlwKCH3oktBGK89y0",
            "pbkdf2 PHC | olga-secret  | $pbkdf2-sha512$i=10000,l=64$3M1u2n00Umaj2r22vuMNtw$kKHFkuk4PYUlMPck922tFDuVebTxSM+OyKzYeb1UzVexDjbI3ouM6eRDHRq/Vmz8w6j9//tShpsGuVW7iKrwhA",
            "django    | frank-secret  | pbkdf2_sha256$260000$Qx7oJmYV3vK2$22SH3XpTEwqnzwHuZoo0yi6ijuRTg1jET0hDY7xdJM0=",
            "md5       | grace-secret  | 98dc01551b0912665981c39ef8aa4ab7",
            "sha1      | heidi-secret  | 6668c2a34efa0f1ab1328fe51a8329db57b6fab4",
            "sha256    | ivan-secret   | 0cf0ec557c503b2867a97cb1464111b8699e6aaeb938b6620cb68cac69db2895",
            "sha256 upper-case hex | ivan-secret | 0CF0EC557C503B2867A97CB1464111B8699E6AAEB938B6620CB68CAC69DB2895",
            "sha512    | judy-secret   | 72ea190dab9a0133fea65dcc1386336c04498881713604de579ac89f1566b88876e958cf4ebb627ffc2e30ddfacb8efe27bbe1137c9fe132bb8f95f4d943eee4",
    })
    void verifiesHashesMadeByOtherImplementations(String kind, String password, String stored) {
        assertTrue(LegacyPasswordHashes.verify(stored, null, password), kind + " should match");
        assertFalse(LegacyPasswordHashes.verify(stored, null, password + "x"), kind + " must reject a wrong password");
        assertFalse(LegacyPasswordHashes.verify(stored, null, ""), kind + " must reject an empty password");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bcrypt   | $2b$10$Js/udrEfJXz2ZHdcrpZ1DeZzWk2oLklQy2rj2I4R6r/aUwHdok2mi | BCRYPT",
            "argon2   | $argon2i$v=19$m=4096,t=3,p=1$gmDGa4w47t7vBDc2Gyjtkg$PiigsWhn2VdFx/IGso+w/yVIAFlb+Pgqv/044dqFRug | ARGON2",
            "pbkdf2   | pbkdf2_sha256$260000$Qx7oJmYV3vK2$22SH3XpTEwqnzwHuZoo0yi6ijuRTg1jET0hDY7xdJM0= | PBKDF2",
            "SHA2_256 | 0cf0ec557c503b2867a97cb1464111b8699e6aaeb938b6620cb68cac69db2895 | SHA256",
            "sha-1    | 6668c2a34efa0f1ab1328fe51a8329db57b6fab4 | SHA1",
            "MD5      | 98dc01551b0912665981c39ef8aa4ab7 | MD5",
    })
    void namesFromAnAlgorithmColumnAgreeWithTheDetectedFormat(String name, String stored, HashAlgorithm expected) {
        assertEquals(Optional.of(expected), HashAlgorithm.fromName(name));
        assertEquals(Optional.of(expected), HashAlgorithm.detect(stored));
    }

    @Test
    void aNamedAlgorithmThatDoesNotFitTheHashFailsClosed() {
        // a SHA-256 hex digest labelled md5 in the algorithm column
        assertThrows(UnsupportedHashException.class, () -> LegacyPasswordHashes.verify(
                "0cf0ec557c503b2867a97cb1464111b8699e6aaeb938b6620cb68cac69db2895", HashAlgorithm.MD5, "ivan-secret"));
        assertThrows(UnsupportedHashException.class, () -> LegacyPasswordHashes.verify(
                "98dc01551b0912665981c39ef8aa4ab7", HashAlgorithm.BCRYPT, "grace-secret"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sha512-crypt | $6$rounds=5000$saltsalt$abc",
            "plain text   | hunter2",
            "odd hex      | 0cf0ec557c503b2867a97cb1464111b8699e6aaeb938b6620cb68cac69db289",
            "bad base64   | $argon2id$v=19$m=19456,t=2,p=1$Z$sUVam5LrvOD89uLfOBNcAzLPIrWA3xPx6OXTMWhe+3s",
            "huge memory  | $argon2id$v=19$m=999999999,t=2,p=1$GTSvNP6vLDKhwfU9AQL0pQ$sUVam5LrvOD89uLfOBNcAzLPIrWA3xPx6OXTMWhe+3s",
            "huge rounds  | pbkdf2_sha256$99999999999$Qx7oJmYV3vK2$22SH3XpTEwqnzwHuZoo0yi6ijuRTg1jET0hDY7xdJM0=",
            "blank        | '   '",
    })
    void unknownOrMalformedHashesFailClosed(String kind, String stored) {
        assertThrows(UnsupportedHashException.class, () -> LegacyPasswordHashes.verify(stored, null, "hunter2"), kind);
    }

    @Test
    void aMissingHashFailsClosed() {
        assertThrows(UnsupportedHashException.class, () -> LegacyPasswordHashes.verify(null, null, "x"));
    }

    @Test
    void bcryptIgnoresBytesBeyondTheSeventySecondAsTheOriginalsDo() {
        String longPassword = "a".repeat(72);
        String stored = LegacyPasswordHashes.hash(HashAlgorithm.BCRYPT, longPassword, null);
        assertTrue(LegacyPasswordHashes.verify(stored, null, longPassword + "ignored"));
        assertFalse(LegacyPasswordHashes.verify(stored, null, "a".repeat(71)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bcrypt 2y keeps version and cost  | BCRYPT | $2y$10$lQSLV3GjmceKNkFKPLOcJ.rGJe3Inf0OVZ2sd2ZpVBkeYHZQAuJvm | $2y$10$",
            "argon2i becomes argon2id, raised  | ARGON2 | $argon2i$v=19$m=4096,t=3,p=1$gmDGa4w47t7vBDc2Gyjtkg$PiigsWhn2VdFx/IGso+w/yVIAFlb+Pgqv/044dqFRug | $argon2id$v=19$m=19456,t=3,p=1$",
            "passlib pbkdf2 keeps its shape    | PBKDF2 | $pbkdf2-sha256$29000$u9x4xhWWVcXrJNXQj1UOMw$5db49x6BUkO0cUoEsr7iC2mi9KGlwKCH3oktBGK89y0 | $pbkdf2-sha256$600000$",
            "PHC pbkdf2 keeps its shape        | PBKDF2 | $pbkdf2-sha512$i=10000,l=64$3M1u2n00Umaj2r22vuMNtw$kKHFkuk4PYUlMPck922tFDuVebTxSM+OyKzYeb1UzVexDjbI3ouM6eRDHRq/Vmz8w6j9//tShpsGuVW7iKrwhA | $pbkdf2-sha512$i=210000,l=64$",
            "Django pbkdf2 keeps its shape     | PBKDF2 | pbkdf2_sha256$260000$Qx7oJmYV3vK2$22SH3XpTEwqnzwHuZoo0yi6ijuRTg1jET0hDY7xdJM0= | pbkdf2_sha256$600000$",
            "bcrypt default is TimeLapseMe's   | BCRYPT |  | $2b$10$",
            "argon2 default is OWASP's         | ARGON2 |  | $argon2id$v=19$m=19456,t=2,p=1$",
    })
    void newHashesKeepTheFormatOfThePreviousOneAtTheWriteMinimumsAndVerify(String kind, HashAlgorithm algorithm, String previous, String prefix) {
        String fresh = LegacyPasswordHashes.hash(algorithm, "new-Secret-9", previous);
        assertTrue(fresh.startsWith(prefix == null ? "" : prefix), kind + ": " + fresh);
        assertEquals(Optional.of(algorithm), HashAlgorithm.detect(fresh));
        assertTrue(LegacyPasswordHashes.verify(fresh, null, "new-Secret-9"), kind);
        assertFalse(LegacyPasswordHashes.verify(fresh, null, "new-Secret-8"), kind);
    }
}

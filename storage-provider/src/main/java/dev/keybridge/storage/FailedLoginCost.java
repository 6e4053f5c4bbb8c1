package dev.keybridge.storage;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.keybridge.storage.hash.HashAlgorithm;
import dev.keybridge.storage.hash.LegacyPasswordHashes;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;

/**
 * Makes a failed federated login cost the same whatever the cause, so its time does not tell who has an
 * account or how their password is stored. Every failure pays one verification at the cost new passwords
 * are written with (the row's own, when it is a slow hash; a dummy one when the row is missing, has no
 * usable hash or an unsalted digest) and one hash at the realm's policy: Keycloak's answer to an unknown
 * username ({@code AuthenticatorUtils.dummyHash}), which a wrong password of a known user then pays too.
 */
final class FailedLoginCost {

    /** Hashes whose verification costs what writing a password costs; the others are padded. */
    static final Set<HashAlgorithm> SLOW = EnumSet.of(HashAlgorithm.BCRYPT, HashAlgorithm.ARGON2, HashAlgorithm.PBKDF2);

    /** The value Keycloak's own dummy hash encodes. */
    private static final String DUMMY_PASSWORD = "SlightlyLongerDummyPassword";
    /** One dummy hash per write algorithm, made once: a verification against it costs what a real one does. */
    private static final Map<HashAlgorithm, String> DUMMY_HASHES = new ConcurrentHashMap<>();

    private final HashAlgorithm writeAlgorithm;
    /** One request pays the dummy verification once, however many lookups by name it makes. */
    private boolean writeCostPaid;

    FailedLoginCost(StorageConfig config) {
        HashAlgorithm configured = config.writeHashAlgorithm();
        this.writeAlgorithm = configured != null && SLOW.contains(configured) ? configured : HashAlgorithm.BCRYPT;
    }

    /** A lookup by name found no row (or one that may not log in): what checking a password would have cost. */
    void lookupFailed() {
        payWriteCost();
    }

    /**
     * A password check failed. {@code rowCostPaid}: the row's own verification was a slow hash; the realm's
     * hash is paid in every case, as Keycloak pays it for a username it does not know.
     */
    void passwordFailed(KeycloakSession session, RealmModel realm, boolean rowCostPaid) {
        if (!rowCostPaid) {
            payWriteCost();
        }
        realmDummyHash(session, realm);
    }

    private void payWriteCost() {
        if (writeCostPaid) {
            return;
        }
        writeCostPaid = true;
        String dummy = DUMMY_HASHES.computeIfAbsent(writeAlgorithm, algorithm -> LegacyPasswordHashes.hash(algorithm,
                Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(12)), null));
        LegacyPasswordHashes.verify(dummy, writeAlgorithm, DUMMY_PASSWORD);
    }

    /** What Keycloak's direct-grant and login-form authenticators do for an unknown username. */
    private static void realmDummyHash(KeycloakSession session, RealmModel realm) {
        PasswordPolicy policy = realm.getPasswordPolicy();
        PasswordHashProvider provider = policy != null && policy.getHashAlgorithm() != null
                ? session.getProvider(PasswordHashProvider.class, policy.getHashAlgorithm())
                : session.getProvider(PasswordHashProvider.class);
        if (provider != null) {
            provider.encodedCredential(DUMMY_PASSWORD, policy != null ? policy.getHashIterations() : -1);
        }
    }
}

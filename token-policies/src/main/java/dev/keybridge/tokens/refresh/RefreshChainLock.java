package dev.keybridge.tokens.refresh;

import java.util.concurrent.ThreadLocalRandom;

import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.clientpolicy.ClientPolicyException;

/**
 * Serializes the refreshes (and refresh-token logouts) of one login across the cluster: a single-use
 * object (replicated like Keycloak's own refresh lock) held from the reuse check until the request's
 * transaction has ended, so the next request of that login reads the state this one committed.
 */
final class RefreshChainLock {

    /** Upper bound of one refresh; the entry expires by itself should a node die holding it. */
    private static final long LOCK_SECONDS = 60;
    private static final long WAIT_MILLIS = 10_000;

    private RefreshChainLock() {
    }

    static String sessionLockId(String userSessionId) {
        return "keybridge-rrt:" + userSessionId;
    }

    /** Takes the lock until the transaction ends; a request that holds it already goes on (re-entrant). */
    static void acquire(KeycloakSession session, String lockId) throws ClientPolicyException {
        String heldAttribute = RefreshChainLock.class.getName() + ":" + lockId;
        if (session.getAttribute(heldAttribute) != null) {
            return;
        }
        long deadline = Time.currentTimeMillis() + WAIT_MILLIS;
        while (!session.singleUseObjects().putIfAbsent(lockId, LOCK_SECONDS)) {
            if (Time.currentTimeMillis() > deadline) {
                throw new ClientPolicyException(OAuthErrorException.TEMPORARILY_UNAVAILABLE,
                        "Too many concurrent refreshes of this refresh token; retry", Response.Status.SERVICE_UNAVAILABLE);
            }
            sleepBriefly();
        }
        session.setAttribute(heldAttribute, Boolean.TRUE);
        // Enlist the session provider first, so its after-completion work (publishing the client
        // session notes) runs before the lock is released.
        session.sessions();
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                release(factory, lockId);
            }

            @Override
            protected void rollbackImpl() {
                release(factory, lockId);
            }
        });
    }

    private static void release(KeycloakSessionFactory factory, String lockId) {
        KeycloakModelUtils.runJobInTransaction(factory, s -> s.singleUseObjects().remove(lockId));
    }

    private static void sleepBriefly() throws ClientPolicyException {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ClientPolicyException(OAuthErrorException.TEMPORARILY_UNAVAILABLE, "Refresh interrupted",
                    Response.Status.SERVICE_UNAVAILABLE);
        }
    }
}

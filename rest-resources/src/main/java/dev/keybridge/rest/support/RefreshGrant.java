package dev.keybridge.rest.support;

import java.util.Map;
import java.util.function.Function;

import dev.keybridge.tokens.refresh.FamilyExpiry;
import dev.keybridge.tokens.refresh.RotationCoverage;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Exchanges a refresh token of a given client through Keycloak's own refresh-token grant: signature, issuer,
 * expiry, the token's client, a live session, refresh-token rotation and reuse detection as configured on the
 * realm, client policies, mappers and the REFRESH_TOKEN / REFRESH_TOKEN_ERROR events. Like {@link PasswordGrant},
 * the client is authenticated as at the token endpoint ({@link KeycloakGrant#run}).
 */
public final class RefreshGrant {

    private static final Logger LOG = Logger.getLogger(RefreshGrant.class);

    private RefreshGrant() {
    }

    /**
     * True when a refresh of the client rotates its refresh token: the realm's client policies put the client under
     * Keybridge's {@code rotating-refresh-token} executor with rotation on, or, when no such executor applies, the
     * realm revokes a refresh token on its first use (Keycloak's "Revoke refresh token", max reuse 0). Compatibility
     * endpoints that promise rotating refresh tokens refuse to refresh otherwise.
     */
    public static boolean rotates(KeycloakSession session, ClientModel client) {
        RealmModel realm = session.getContext().getRealm();
        return RotationCoverage.rotatesRefreshTokensOf(session, client)
                .orElse(realm.isRevokeRefreshToken() && realm.getRefreshTokenMaxReuse() == 0);
    }

    /**
     * Refuses to refresh for a client whose refresh tokens do not {@link #rotates rotate}, telling the operator why in
     * the log.
     *
     * @param refusal the API's refusal, given the reason ("client ... must be under a rotating-refresh-token policy ...")
     */
    public static void requireRotation(KeycloakSession session, ClientModel client, Function<String, ApiException> refusal) {
        if (!rotates(session, client)) {
            String reason = "client " + client.getClientId() + " of realm " + session.getContext().getRealm().getName()
                    + " must be under a rotating-refresh-token policy, or the realm must revoke refresh tokens on use";
            LOG.warnf("Refresh refused: %s", reason);
            throw refusal.apply(reason);
        }
    }

    /**
     * @return Keycloak's answer; a refusal of a chain whose {@code rotating-refresh-token} lifetime is over
     *         ({@link FamilyExpiry}), or of a token already {@link RefreshTokenExpiry no longer active} when the grant
     *         started, has the cause {@link GrantOutcome.Cause#REFRESH_EXPIRED}. The token is judged as of the grant's
     *         start, so one Keycloak refused while it was still active (reuse detected, a session ended early) is never
     *         called expired, even if it expires while the grant runs; and only after a refusal, so a successful refresh
     *         decodes it once, in the grant.
     */
    public static GrantOutcome refresh(KeycloakSession session, ClientModel client, String refreshToken) {
        int started = Time.currentTime();
        GrantOutcome outcome = KeycloakGrant.run(session, client, OAuth2Constants.REFRESH_TOKEN,
                Map.of(OAuth2Constants.REFRESH_TOKEN, refreshToken), "Refresh failed");
        if (outcome instanceof GrantOutcome.Failure failure && failure.grantRefused()
                && (FamilyExpiry.refusedIn(session) || RefreshTokenExpiry.expired(session, client, refreshToken, started))) {
            return failure.because(GrantOutcome.Cause.REFRESH_EXPIRED);
        }
        return outcome;
    }
}

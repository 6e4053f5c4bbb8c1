package dev.keybridge.rest.support;

import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.exceptions.TokenNotActiveException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.TokenManager.NotBeforeCheck;
import org.keycloak.representations.RefreshToken;
import org.keycloak.services.Urls;
import org.keycloak.util.TokenUtil;

/**
 * Tells, from the token rather than from Keycloak's words, whether Keycloak's refresh-token grant refuses a refresh token
 * as no longer active: its {@code exp} has passed (Keycloak caps it at the session's idle and max lifetimes, so a timed-out
 * session shows here too). Only a token signed with the realm's keys counts, and only when it passes the checks Keycloak's
 * {@code TokenManager.verifyRefreshToken} makes before its activity check, in that order (type, issuer, the realm's and
 * the client's not-before): a forged token, or one refused earlier, is never called expired. A session ended before its
 * time (logout, revocation, reuse detection) leaves {@code exp} in the future, so that refusal is not an expiry.
 * Asked only after a refusal, about the moment the grant started: a token that expired while the grant ran was refused
 * for something else.
 */
final class RefreshTokenExpiry {

    private RefreshTokenExpiry() {
    }

    /** @param at when the grant that refused the token started (Keycloak's {@code Time.currentTime()}) */
    static boolean expired(KeycloakSession session, ClientModel client, String encoded, int at) {
        RefreshToken token = session.tokens().decode(encoded, RefreshToken.class);
        RealmModel realm = session.getContext().getRealm();
        return token != null && expired(token, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()),
                NotBeforeCheck.forModel(realm), NotBeforeCheck.forModel(client), at);
    }

    /** @param token a refresh token whose signature has been verified */
    static boolean expired(RefreshToken token, String issuer, NotBeforeCheck realmNotBefore, NotBeforeCheck clientNotBefore, int at) {
        if (!TokenUtil.TOKEN_TYPE_REFRESH.equals(token.getType()) && !TokenUtil.TOKEN_TYPE_OFFLINE.equals(token.getType())) {
            return false;
        }
        try {
            TokenVerifier.createWithoutSignature(token)
                    .withChecks(new TokenVerifier.RealmUrlCheck(issuer), realmNotBefore, clientNotBefore, activeAt(at))
                    .verify();
            return false;
        } catch (TokenNotActiveException notActive) {
            return true;
        } catch (VerificationException refusedBefore) {
            return false;
        }
    }

    /** Keycloak's {@link TokenVerifier#IS_ACTIVE} (exp passed, or nbf not reached), at a given second instead of now. */
    private static TokenVerifier.Predicate<RefreshToken> activeAt(int at) {
        return token -> {
            boolean expired = token.getExp() != null && token.getExp() != 0 && at > token.getExp();
            boolean notYet = token.getNbf() != null && at < token.getNbf();
            if (expired || notYet) {
                throw new TokenNotActiveException(token, "Token is not active");
            }
            return true;
        };
    }
}

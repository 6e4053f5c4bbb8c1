package dev.keybridge.rest.ertis;

import dev.keybridge.rest.support.RealmGuard;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.util.TokenUtil;

/**
 * Checks a token presented to the ErtisAuth resource the way Keycloak does, and names the failure with ErtisAuth's
 * codes: an enabled realm, a realm signature and issuer, issued for (or to an audience of) the resource's client, not
 * expired, and its session, client and user still valid.
 */
final class ErtisTokenCheck {

    /** @param session the live user session (null only for a refresh token whose session is gone, which fails) */
    record Checked(AccessToken token, boolean refresh, UserSessionModel session, AuthResult bearer) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ClientModel client;

    ErtisTokenCheck(KeycloakSession session, ClientModel client) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.client = client;
    }

    /**
     * @throws dev.keybridge.rest.support.ApiException AccessDenied in a disabled realm (which Keycloak's bearer-token
     *                                                 authenticator does not check); InvalidToken, TokenWasExpired,
     *                                                 TokenWasRevoked and their refresh variants
     */
    Checked check(String encoded, boolean allowRefresh) {
        requireEnabledRealm(realm);
        AccessToken token = session.tokens().decode(encoded, AccessToken.class);
        String issuer = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
        if (token == null || !issuer.equals(token.getIssuer()) || !forClient(token)) {
            throw ErtisError.invalidToken();
        }
        boolean refresh = TokenUtil.TOKEN_TYPE_REFRESH.equals(token.getType()) || TokenUtil.TOKEN_TYPE_OFFLINE.equals(token.getType());
        if (refresh && !allowRefresh || !refresh && !TokenUtil.TOKEN_TYPE_BEARER.equals(token.getType())) {
            throw ErtisError.invalidToken();
        }
        if (!token.isActive()) {
            throw refresh ? ErtisError.refreshTokenWasExpired() : ErtisError.tokenWasExpired();
        }
        if (refresh) {
            UserSessionModel userSession = liveSession(token);
            if (userSession == null) {
                throw ErtisError.refreshTokenWasRevoked();
            }
            return new Checked(token, true, userSession, null);
        }
        AuthResult bearer = new AppAuthManager.BearerTokenAuthenticator(session).setTokenString(encoded).authenticate();
        if (bearer == null) {
            // signature, issuer and expiry were fine: what failed is the session (logged out, revoked, not-before)
            throw ErtisError.tokenWasRevoked();
        }
        return new Checked(token, false, bearer.session(), bearer);
    }

    /** @throws dev.keybridge.rest.support.ApiException AccessDenied when the realm is disabled, as Keycloak's token endpoint refuses */
    static void requireEnabledRealm(RealmModel realm) {
        if (!realm.isEnabled()) {
            throw ErtisError.accessDenied(RealmGuard.REALM_NOT_ENABLED);
        }
    }

    private boolean forClient(AccessToken token) {
        return client.getClientId().equals(token.getIssuedFor()) || token.hasAudience(client.getClientId());
    }

    private UserSessionModel liveSession(AccessToken token) {
        if (token.getSessionId() == null) {
            return null;
        }
        boolean offline = TokenUtil.TOKEN_TYPE_OFFLINE.equals(token.getType());
        UserSessionModel userSession = offline
                ? session.sessions().getOfflineUserSession(realm, token.getSessionId())
                : session.sessions().getUserSession(realm, token.getSessionId());
        if (userSession == null || !userSession.getUser().isEnabled()) {
            return null;
        }
        AuthenticatedClientSessionModel clientSession = userSession.getAuthenticatedClientSessionByClient(client.getId());
        return clientSession == null ? null : userSession;
    }
}

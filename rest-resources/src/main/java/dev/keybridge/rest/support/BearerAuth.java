package dev.keybridge.rest.support;

import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * Authenticates the {@code Authorization: Bearer} access token of the current request with Keycloak's own
 * verifier: signature, expiry, issuer of the current realm, a live user and client session, an enabled client and user;
 * and, before it, an enabled realm ({@link RealmGuard}).
 */
public final class BearerAuth {

    private BearerAuth() {
    }

    /**
     * @throws ApiException 403 when the realm is disabled; 401 when the header is missing, malformed, or the token or
     *                      its session is not valid
     */
    public static AuthResult require(KeycloakSession session) {
        RealmGuard.requireEnabled(session.getContext().getRealm());
        String header = session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw ApiException.unauthorized("Missing Authorization: Bearer access token");
        }
        AuthResult result;
        try {
            result = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        } catch (NotAuthorizedException malformedHeader) {
            result = null;
        }
        if (result == null) {
            throw ApiException.unauthorized("Access token is invalid or expired, or its session has ended");
        }
        return result;
    }
}

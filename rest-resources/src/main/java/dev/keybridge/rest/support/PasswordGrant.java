package dev.keybridge.rest.support;

import java.util.Map;

import dev.keybridge.tokens.refresh.RotatingRefreshTokenExecutor;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.AccessTokenResponse;

/**
 * Logs a user in with username and password as a direct-access grant of a given client, run through
 * Keycloak's own password grant: the realm's direct-grant flow (so OTP, brute-force protection, disabled users
 * and required actions behave as at the token endpoint), client policies, mappers, a real user session, and
 * the LOGIN / LOGIN_ERROR events. For compatibility endpoints that take credentials in their own JSON.
 *
 * <p>The endpoint acts for the client operators configure, through {@link KeycloakGrant#run}: a public client by its
 * client_id, a confidential one only with its credentials in the request, as at the token endpoint.
 */
public final class PasswordGrant {

    private PasswordGrant() {
    }

    /** The grant's outcome: a token response, or Keycloak's OAuth error with its status. */
    public sealed interface Outcome {
    }

    public record Tokens(AccessTokenResponse response) implements Outcome {
    }

    public record Failure(int status, String error, String description) implements Outcome {

        /** True when Keycloak refused the grant itself (credentials, token, session, user), not the realm or client. */
        public boolean grantRefused() {
            return "invalid_grant".equals(error);
        }

        /**
         * True when a refresh was refused because the token or its chain expired: Keycloak's own "Token is not
         * active", or the rotating-refresh-token policy's family lifetime.
         */
        public boolean refreshExpired() {
            return description != null
                    && (description.equals("Token is not active") || description.startsWith(RotatingRefreshTokenExecutor.FAMILY_EXPIRED));
        }
    }

    /** @throws ApiException 400 when the client may not use direct-access grants */
    public static Outcome login(KeycloakSession session, ClientModel client, String username, String password) {
        if (client.isBearerOnly() || !client.isDirectAccessGrantsEnabled()) {
            throw new ApiException(400, "unauthorized_client",
                    "Client " + client.getClientId() + " does not allow direct access grants");
        }
        return KeycloakGrant.run(session, client, OAuth2Constants.PASSWORD,
                Map.of(OAuth2Constants.USERNAME, username, OAuth2Constants.PASSWORD, password), "Login failed");
    }
}

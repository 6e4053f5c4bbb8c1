package dev.keybridge.rest.support;

import java.util.Set;

import dev.keybridge.tokens.refresh.RotatingRefreshTokenExecutor;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Errors;
import org.keycloak.representations.AccessTokenResponse;

/** The outcome of every grant a compatibility route runs through Keycloak: a token response, or Keycloak's refusal. */
public sealed interface GrantOutcome {

    record Tokens(AccessTokenResponse response) implements GrantOutcome {
    }

    /**
     * Keycloak's OAuth error with its status, and the error code of the event Keycloak recorded for the refusal (null
     * when it recorded none), from which compatibility APIs derive their own reasons.
     *
     * @param accountDisabled Keycloak refused a disabled account whose credentials it had accepted (see
     *                        {@link PasswordGrant#login})
     */
    record Failure(int status, String error, String description, String eventError, boolean accountDisabled) implements GrantOutcome {

        /** Event errors of a login refused for its credentials: unknown user, wrong password or OTP, a brute-force lockout. */
        private static final Set<String> CREDENTIAL_ERRORS = Set.of(Errors.INVALID_USER_CREDENTIALS, Errors.USER_NOT_FOUND,
                Errors.INVALID_USER, Errors.USER_TEMPORARILY_DISABLED, Errors.USER_DISABLED);

        public Failure(int status, String error, String description, String eventError) {
            this(status, error, description, eventError, false);
        }

        /** True when Keycloak refused the grant itself (credentials, token, session, user), not the realm or client. */
        public boolean grantRefused() {
            return OAuthErrorException.INVALID_GRANT.equals(error);
        }

        /**
         * True when a login was refused for its credentials, which Keycloak words "Invalid user credentials" whatever
         * the cause, so that a caller learns nothing about the account: also a disabled account whose password was wrong.
         */
        public boolean badCredentials() {
            return !accountDisabled && eventError != null && CREDENTIAL_ERRORS.contains(eventError);
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
}

package dev.keybridge.rest.support;

import java.util.Set;

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
     * @param cause what the grant that ran found out about the refusal beyond Keycloak's answer
     */
    record Failure(int status, String error, String description, String eventError, Cause cause) implements GrantOutcome {

        /** Event errors of a login refused for its credentials: unknown user, wrong password or OTP, a brute-force lockout. */
        private static final Set<String> CREDENTIAL_ERRORS = Set.of(Errors.INVALID_USER_CREDENTIALS, Errors.USER_NOT_FOUND,
                Errors.INVALID_USER, Errors.USER_TEMPORARILY_DISABLED, Errors.USER_DISABLED);

        public Failure(int status, String error, String description, String eventError) {
            this(status, error, description, eventError, Cause.OTHER);
        }

        /** This refusal, with the cause the grant that ran established. */
        public Failure because(Cause established) {
            return new Failure(status, error, description, eventError, established);
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
            return !accountDisabled() && eventError != null && CREDENTIAL_ERRORS.contains(eventError);
        }

        /** Keycloak refused a disabled account whose credentials it had accepted (see {@link PasswordGrant#login}). */
        public boolean accountDisabled() {
            return cause == Cause.ACCOUNT_DISABLED;
        }

        /** A refresh was refused because the token or its chain had expired (see {@link RefreshGrant#refresh}). */
        public boolean refreshExpired() {
            return cause == Cause.REFRESH_EXPIRED;
        }
    }

    /** Why Keycloak refused a grant, where the grant that ran can tell more than Keycloak's answer says. */
    enum Cause {
        /** Nothing beyond Keycloak's answer and event error code. */
        OTHER,
        ACCOUNT_DISABLED,
        REFRESH_EXPIRED
    }
}

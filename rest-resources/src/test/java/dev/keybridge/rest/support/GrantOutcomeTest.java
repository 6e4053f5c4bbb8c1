package dev.keybridge.rest.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.keycloak.events.Errors;

class GrantOutcomeTest {

    @Test
    void credentialRefusalsAreToldByTheirEventErrorCode() {
        for (String error : new String[] {Errors.INVALID_USER_CREDENTIALS, Errors.USER_NOT_FOUND, Errors.USER_TEMPORARILY_DISABLED}) {
            assertTrue(new GrantOutcome.Failure(400, "invalid_grant", "any words", error).badCredentials(), error);
        }
        assertFalse(new GrantOutcome.Failure(400, "invalid_grant", "Account is not fully set up", Errors.RESOLVE_REQUIRED_ACTIONS)
                .badCredentials());
    }

    @Test
    void aDisabledAccountWhosePasswordWasRightIsNotACredentialRefusal() {
        GrantOutcome.Failure disabled = new GrantOutcome.Failure(400, "invalid_grant", null, Errors.USER_DISABLED);
        assertTrue(disabled.badCredentials());
        assertFalse(disabled.because(GrantOutcome.Cause.ACCOUNT_DISABLED).badCredentials());
    }

    @Test
    void aRefreshIsExpiredOnlyWhenTheGrantEstablishedIt() {
        GrantOutcome.Failure notActive = new GrantOutcome.Failure(400, "invalid_grant", "Token is not active", Errors.INVALID_TOKEN);
        assertFalse(notActive.refreshExpired());
        assertTrue(notActive.because(GrantOutcome.Cause.REFRESH_EXPIRED).refreshExpired());
    }

    @Test
    void aRefusalWithoutAnEventIsNotACredentialRefusal() {
        assertFalse(new GrantOutcome.Failure(403, "access_denied", "Realm not enabled", null).badCredentials());
    }
}

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
        assertTrue(new GrantOutcome.Failure(400, "invalid_grant", null, Errors.USER_DISABLED, false).badCredentials());
        assertFalse(new GrantOutcome.Failure(400, "invalid_grant", null, Errors.USER_DISABLED, true).badCredentials());
    }

    @Test
    void aRefusalWithoutAnEventIsNotACredentialRefusal() {
        assertFalse(new GrantOutcome.Failure(403, "access_denied", "Realm not enabled", null).badCredentials());
    }
}

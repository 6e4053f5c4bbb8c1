package dev.keybridge.rest.watcherex;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WatcherExGrantTest {

    @Test
    void aMissingGrantTypeIsUnsupportedInsteadOfThrowing() {
        assertFalse(WatcherExTokenProxy.supportedGrant(null));
        assertFalse(WatcherExTokenProxy.supportedGrant("authorization_code"));
        assertTrue(WatcherExTokenProxy.supportedGrant("password"));
    }
}

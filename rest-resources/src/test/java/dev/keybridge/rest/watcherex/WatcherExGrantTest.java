package dev.keybridge.rest.watcherex;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WatcherExGrantTest {

    @Test
    void aMissingGrantTypeIsUnsupportedInsteadOfThrowing() {
        assertFalse(WatcherExResource.supportedGrant(null));
        assertFalse(WatcherExResource.supportedGrant("authorization_code"));
        assertTrue(WatcherExResource.supportedGrant("password"));
    }
}

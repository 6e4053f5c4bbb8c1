package dev.keybridge.rest.tapis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Basic credentials Keycloak's client authenticator would log an ERROR for are refused before it sees them. */
class TapisBasicCredentialsTest {

    @Test
    void wellFormedCredentialsAreReadable() {
        assertTrue(TapisTokensResource.readableBasic(basic("jobs:jobs-secret")));
        assertTrue(TapisTokensResource.readableBasic(basic("my%20service:p%40ss")));
    }

    @Test
    void brokenPercentEscapesNonBase64AndMissingColonAreNot() {
        assertFalse(TapisTokensResource.readableBasic(basic("jobs:%zz")));
        assertFalse(TapisTokensResource.readableBasic(basic("%:secret")));
        assertFalse(TapisTokensResource.readableBasic("Basic !!!not-base64!!!"));
        assertFalse(TapisTokensResource.readableBasic(basic("no-colon")));
    }

    private static String basic(String idAndSecret) {
        return "Basic " + Base64.getEncoder().encodeToString(idAndSecret.getBytes(StandardCharsets.UTF_8));
    }
}

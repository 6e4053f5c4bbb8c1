package dev.keybridge.rest.tapis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Basic credentials Keycloak's client authenticator would log an ERROR for are refused before it sees them. */
class TapisBasicCredentialsTest {

    @Test
    void wellFormedCredentialsAreReadable() {
        assertArrayEquals(new String[] {"jobs", "jobs-secret"}, TapisTokensResource.readableBasic(basic("jobs:jobs-secret")));
        assertArrayEquals(new String[] {"my service", "p@ss"}, TapisTokensResource.readableBasic(basic("my%20service:p%40ss")));
    }

    @Test
    void brokenPercentEscapesNonBase64AndMissingColonAreNot() {
        assertNull(TapisTokensResource.readableBasic(basic("jobs:%zz")));
        assertNull(TapisTokensResource.readableBasic(basic("%:secret")));
        assertNull(TapisTokensResource.readableBasic("Basic !!!not-base64!!!"));
        assertNull(TapisTokensResource.readableBasic(basic("no-colon")));
    }

    private static String basic(String idAndSecret) {
        return "Basic " + Base64.getEncoder().encodeToString(idAndSecret.getBytes(StandardCharsets.UTF_8));
    }
}

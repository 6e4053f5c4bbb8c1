package dev.keybridge.rest.ertis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.keybridge.rest.support.ApiException;
import org.junit.jupiter.api.Test;

class ErtisCredentialTest {

    @Test
    void bearerAndBasicSchemesAreCaseInsensitive() {
        ErtisCredential bearer = ErtisCredential.fromHeader("bearer  abc.def.ghi ");
        assertFalse(bearer.basic());
        assertEquals("abc.def.ghi", bearer.value());
        assertTrue(ErtisCredential.fromHeader("BASIC app:secret").basic());
    }

    @Test
    void missingHeaderIsNullAndOtherSchemesAreNotSupported() {
        assertNull(ErtisCredential.fromHeader(null));
        assertNull(ErtisCredential.fromHeader("  "));
        assertEquals("TokenTypeNotSupported", assertThrows(ApiException.class, () -> ErtisCredential.fromHeader("Token x")).error());
        assertEquals("TokenTypeNotSupported", assertThrows(ApiException.class, () -> ErtisCredential.fromHeader("Bearer")).error());
    }

    @Test
    void basicCredentialIsReadRawAsTheOriginalSendsItOrBase64Encoded() {
        assertArrayEquals(new String[] {"app", "se:cret"}, ErtisCredential.fromHeader("Basic app:se:cret").applicationAndSecret());
        String encoded = Base64.getEncoder().encodeToString("app:secret".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new String[] {"app", "secret"}, ErtisCredential.fromHeader("Basic " + encoded).applicationAndSecret());
        assertNull(ErtisCredential.fromHeader("Basic no-colon-here!").applicationAndSecret());
        assertNull(ErtisCredential.fromHeader("Basic :secret").applicationAndSecret());
    }

    @Test
    void bodyTokenMayCarryTheBearerPrefixButNotBasic() {
        assertEquals("tok", ErtisCredential.fromBody("Bearer tok").value());
        assertEquals("tok", ErtisCredential.fromBody(" tok ").value());
        assertNull(ErtisCredential.fromBody(""));
        assertEquals("BearerTokenRequired", assertThrows(ApiException.class, () -> ErtisCredential.fromBody("Basic a:b")).error());
    }
}

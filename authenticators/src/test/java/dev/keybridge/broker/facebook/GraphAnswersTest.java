package dev.keybridge.broker.facebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import dev.keybridge.broker.nativesignin.IdTokenRejectedException;
import dev.keybridge.broker.nativesignin.VerifiedIdToken;
import org.junit.jupiter.api.Test;

class GraphAnswersTest {

    private static final long NOW = 1_800_000_000L;
    private static final String APP = "1234567890";

    private static Map<String, Object> inspection(Map<String, Object> changes) {
        Map<String, Object> data = new HashMap<>(Map.of("app_id", APP, "type", "USER", "is_valid", true,
                "expires_at", NOW + 3600, "user_id", "10001"));
        data.putAll(changes);
        data.values().removeIf(v -> v == NULL);
        return Map.of("data", data);
    }

    private static final Object NULL = new Object();

    @Test
    void acceptsAValidUserTokenOfTheApp() throws Exception {
        assertEquals("10001", GraphAnswers.userId(inspection(Map.of()), APP, null, NOW));
        assertEquals("10001", GraphAnswers.userId(inspection(Map.of()), APP, "10001", NOW));
        assertEquals("10001", GraphAnswers.userId(inspection(Map.of("expires_at", 0)), APP, null, NOW), "0 = never expires");
    }

    @Test
    void refusesWhatIsNotAValidUnexpiredUserTokenOfThisApp() {
        assertRefused(inspection(Map.of("app_id", "999")), null, "issued to app '999'");
        assertRefused(inspection(Map.of("is_valid", false, "error", Map.of("message", "Session has expired"))), null, "Session has expired");
        assertRefused(inspection(Map.of("is_valid", "true")), null, "not valid");
        assertRefused(inspection(Map.of("type", "PAGE")), null, "not a user token");
        assertRefused(inspection(Map.of("expires_at", NOW - 1)), null, "expired");
        assertRefused(inspection(Map.of("expires_at", NULL)), null, "expired");
        assertRefused(inspection(Map.of("user_id", NULL)), null, "names no user");
        assertRefused(inspection(Map.of()), "10002", "another user");
        assertRefused(Map.of("error", Map.of("message", "Invalid OAuth access token")), null, "Invalid OAuth access token");
    }

    @Test
    void appWithoutIdAcceptsNothing() {
        assertThrows(IdTokenRejectedException.class, () -> GraphAnswers.userId(inspection(Map.of()), null, null, NOW));
    }

    @Test
    void identityComesFromTheProfileOfTheInspectedUser() throws Exception {
        VerifiedIdToken identity = GraphAnswers.identity(Map.of("id", "10001", "email", "fay@example.org", "first_name", "Fay",
                "last_name", "Book", "name", "Fay Book", "locale", "ignored"), "10001", false);
        assertEquals("10001", identity.subject());
        assertEquals("fay@example.org", identity.email());
        assertFalse(identity.emailVerified(), "Facebook's email is unverified unless the IdP says otherwise");
        assertEquals("Fay", identity.givenName());
        assertEquals("Book", identity.familyName());
        assertFalse(identity.claims().containsKey("locale"));
        assertTrue(GraphAnswers.identity(Map.of("id", "10001", "email", "fay@example.org"), "10001", true).emailVerified());
        assertFalse(GraphAnswers.identity(Map.of("id", "10001"), "10001", true).emailVerified(), "no email, nothing verified");
        IdTokenRejectedException other = assertThrows(IdTokenRejectedException.class,
                () -> GraphAnswers.identity(Map.of("id", "10002"), "10001", false));
        assertTrue(other.getMessage().contains("not the profile"));
    }

    @Test
    void appSecretProofIsHmacSha256OfTheTokenInHex() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                GraphAnswers.appSecretProof("what do ya want for nothing?", "Jefe"));
    }

    @Test
    void tokenShapeIsBounded() throws Exception {
        GraphAnswers.checkTokenShape("EAAB0123abc");
        assertThrows(IdTokenRejectedException.class, () -> GraphAnswers.checkTokenShape(" "));
        assertThrows(IdTokenRejectedException.class, () -> GraphAnswers.checkTokenShape("EAAB\r\nX-Injected: 1"));
        assertThrows(IdTokenRejectedException.class, () -> GraphAnswers.checkTokenShape("E".repeat(GraphAnswers.MAX_TOKEN_LENGTH + 1)));
    }

    private static void assertRefused(Map<String, Object> answer, String expectedUser, String reason) {
        IdTokenRejectedException refused = assertThrows(IdTokenRejectedException.class,
                () -> GraphAnswers.userId(answer, APP, expectedUser, NOW));
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }
}

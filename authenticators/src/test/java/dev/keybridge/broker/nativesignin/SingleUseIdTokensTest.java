package dev.keybridge.broker.nativesignin;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SingleUseIdTokensTest {

    private static VerifiedIdToken verified(Map<String, Object> claims) {
        return new VerifiedIdToken("sub-1", null, false, null, null, claims);
    }

    @Test
    void tokensWithJtiAreMarkedByIssuerAndJti() {
        VerifiedIdToken google = verified(Map.of("iss", "https://accounts.google.com", "jti", "j-1", "exp", 1000));
        SingleUseIdTokens.Mark mark = SingleUseIdTokens.mark("h.p.s1", google);
        assertEquals("jti j-1", mark.id());
        assertEquals(mark, SingleUseIdTokens.mark("other.token.s2", google), "the same jti is the same token, whatever the bytes");
        VerifiedIdToken otherIssuer = verified(Map.of("iss", "https://appleid.apple.com", "jti", "j-1", "exp", 1000));
        assertNotEquals(mark.key(), SingleUseIdTokens.mark("h.p.s1", otherIssuer).key(), "jti is unique per issuer only");
    }

    @Test
    void tokensWithoutJtiAreMarkedByTheirSignedPartNotTheSignature() {
        VerifiedIdToken apple = verified(Map.of("iss", "https://appleid.apple.com", "exp", 1000));
        SingleUseIdTokens.Mark mark = SingleUseIdTokens.mark("header.payload.signature-one", apple);
        assertTrue(mark.id().startsWith("sha256 "), mark.id());
        assertEquals(mark, SingleUseIdTokens.mark("header.payload.signature-two", apple), "a re-encoded signature is still a replay");
        assertNotEquals(mark, SingleUseIdTokens.mark("header.other-payload.signature-one", apple));
    }

    @Test
    void markLivesUntilTheTokenCouldNoLongerPassTheExpiryCheck() {
        VerifiedIdToken token = verified(Map.of("exp", 1000));
        assertEquals(130, SingleUseIdTokens.lifespanSeconds(token, Duration.ofSeconds(30), 900));
        assertEquals(1, SingleUseIdTokens.lifespanSeconds(token, Duration.ofSeconds(30), 5000), "never zero or negative");
    }
}

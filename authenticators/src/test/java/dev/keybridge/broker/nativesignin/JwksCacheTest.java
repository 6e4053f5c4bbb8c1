package dev.keybridge.broker.nativesignin;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JwksCacheTest {

    private static final Duration MAX_AGE = Duration.ofHours(1);
    private static final Duration MIN_REFETCH = Duration.ofSeconds(10);

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final JwksCache cache = new JwksCache(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });
    private final Map<String, JsonWebKeys.SigningKey> published = new HashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private boolean providerDown;

    private final JwksCache.Fetcher fetcher = url -> {
        fetches.incrementAndGet();
        if (providerDown) {
            throw new IOException("connect timed out");
        }
        return Map.copyOf(published);
    };

    private JsonWebKeys.SigningKey key(String kid) throws IdTokenRejectedException {
        return cache.key("https://keys", kid, MAX_AGE, MIN_REFETCH, fetcher);
    }

    @Test
    void cachesAndRefetchesOnUnknownKidAtMostOncePerInterval() throws Exception {
        JsonWebKeys.SigningKey k1 = signingKey();
        published.put("k1", k1);
        assertSame(k1, key("k1"));
        assertSame(k1, key("k1"));
        assertEquals(1, fetches.get(), "second lookup served from cache");

        published.put("k2", signingKey());
        now = now.plusSeconds(5);
        assertThrows(IdTokenRejectedException.class, () -> key("k2"), "too soon after the last fetch");
        assertEquals(1, fetches.get());
        now = now.plusSeconds(6);
        assertSame(published.get("k2"), key("k2"), "rotated key found after the interval");
        assertEquals(2, fetches.get());
    }

    @Test
    void expiredSetIsRefetchedAndKeptWhenProviderIsDown() throws Exception {
        published.put("k1", signingKey());
        key("k1");
        now = now.plus(MAX_AGE).plusSeconds(1);
        providerDown = true;
        assertSame(published.get("k1"), key("k1"), "known keys keep working while the provider is unreachable");
        assertEquals(2, fetches.get());
    }

    @Test
    void unreachableProviderWithoutCachedKeysRejectsAndIsNotAskedAgainWithinTheInterval() {
        providerDown = true;
        IdTokenRejectedException e = assertThrows(IdTokenRejectedException.class, () -> key("k1"));
        assertEquals("ID token key id 'k1' is not among the cached keys, and the provider's signing keys could not be fetched "
                + "from https://keys: connect timed out", e.getMessage());
        assertThrows(IdTokenRejectedException.class, () -> key("k1"));
        assertEquals(1, fetches.get(), "a failed fetch is not retried before the interval, so requests fail fast");
    }

    @Test
    void failedRefetchKeepsKnownKeysNamesTheFailureForUnknownOnesAndRecovers() throws Exception {
        published.put("k1", signingKey());
        key("k1");
        providerDown = true;
        published.put("k2", signingKey());
        now = now.plus(MIN_REFETCH);
        IdTokenRejectedException e = assertThrows(IdTokenRejectedException.class, () -> key("k2"));
        assertTrue(e.getMessage().endsWith("could not be fetched from https://keys: connect timed out"), e.getMessage());
        assertSame(published.get("k1"), key("k1"), "the cached key still verifies");
        assertEquals(2, fetches.get());

        providerDown = false;
        now = now.plus(MIN_REFETCH);
        assertSame(published.get("k2"), key("k2"), "the next attempt after the interval succeeds");
        assertEquals(3, fetches.get());
    }

    private static JsonWebKeys.SigningKey signingKey() {
        return new JsonWebKeys.SigningKey(IdTokenVerifierTest.generate("EC").getPublic(), "ES256");
    }
}

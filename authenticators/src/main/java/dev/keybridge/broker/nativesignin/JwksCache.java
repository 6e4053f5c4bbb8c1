package dev.keybridge.broker.nativesignin;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Provider key sets by JWKS URL. A set is reused until it is older than the maximum age; a token
 * naming a kid the cached set lacks triggers one refetch (keys rotate), but at most once per
 * minimum interval per URL, so random kids cannot make Keycloak hammer Apple or Google.
 */
public final class JwksCache {

    /** Downloads and parses one key set; throws when the provider cannot be reached in time. */
    @FunctionalInterface
    public interface Fetcher {
        Map<String, JsonWebKeys.SigningKey> fetch(String jwksUrl) throws IOException;
    }

    private record Entry(Map<String, JsonWebKeys.SigningKey> keys, Instant fetchedAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    public JwksCache(Clock clock) {
        this.clock = clock;
    }

    public JsonWebKeys.SigningKey key(String jwksUrl, String kid, Duration maxAge, Duration minRefetchInterval, Fetcher fetcher)
            throws IdTokenRejectedException {
        Instant now = clock.instant();
        Entry entry = entries.get(jwksUrl);
        boolean stale = entry == null || entry.fetchedAt().plus(maxAge).isBefore(now);
        boolean unknownKid = entry != null && !entry.keys().containsKey(kid);
        boolean mayRefetch = entry == null || !entry.fetchedAt().plus(minRefetchInterval).isAfter(now);
        if (stale || (unknownKid && mayRefetch)) {
            entry = refresh(jwksUrl, entry, fetcher);
        }
        JsonWebKeys.SigningKey key = entry.keys().get(kid);
        if (key == null) {
            throw new IdTokenRejectedException("ID token signed with unknown key id '" + kid + "'");
        }
        return key;
    }

    private synchronized Entry refresh(String jwksUrl, Entry seen, Fetcher fetcher) throws IdTokenRejectedException {
        Entry current = entries.get(jwksUrl);
        if (current != null && current != seen) {
            return current; // another request refreshed it meanwhile
        }
        try {
            Entry fresh = new Entry(Map.copyOf(fetcher.fetch(jwksUrl)), clock.instant());
            entries.put(jwksUrl, fresh);
            return fresh;
        } catch (IOException | RuntimeException e) {
            if (current != null) {
                // keep serving the known keys; remember the attempt so the next refetch waits its turn
                Entry retained = new Entry(current.keys(), clock.instant());
                entries.put(jwksUrl, retained);
                return retained;
            }
            throw new IdTokenRejectedException("provider signing keys unavailable: " + e.getMessage(), e);
        }
    }
}

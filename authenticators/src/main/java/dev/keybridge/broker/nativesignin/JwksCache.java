package dev.keybridge.broker.nativesignin;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

/**
 * Provider key sets by JWKS URL. A set is reused until it is older than the maximum age; a token
 * naming a kid the cached set lacks triggers one refetch (keys rotate). Fetch attempts, failed or
 * not, happen at most once per minimum interval per URL, so random kids cannot make Keycloak hammer
 * Apple or Google, and a slow or unreachable provider costs one bounded wait per interval instead
 * of one per request. When a fetch fails the known keys stay in use.
 */
public final class JwksCache {

    private static final Logger LOG = Logger.getLogger(JwksCache.class);

    /** Downloads and parses one key set; throws when the provider cannot be reached in time. */
    @FunctionalInterface
    public interface Fetcher {
        Map<String, JsonWebKeys.SigningKey> fetch(String jwksUrl) throws IOException;
    }

    /**
     * @param fetchedAt   when the keys were last fetched successfully, null if never
     * @param attemptedAt when the last fetch was attempted
     * @param failure     why the last attempt failed, null if it succeeded
     */
    private record Entry(Map<String, JsonWebKeys.SigningKey> keys, Instant fetchedAt, Instant attemptedAt, String failure) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** One lock per URL: a slow Apple endpoint must not hold up Google lookups. */
    private final Map<String, Object> fetchLocks = new ConcurrentHashMap<>();
    private final Clock clock;

    public JwksCache(Clock clock) {
        this.clock = clock;
    }

    public JsonWebKeys.SigningKey key(String jwksUrl, String kid, Duration maxAge, Duration minRefetchInterval, Fetcher fetcher)
            throws IdTokenRejectedException {
        Entry entry = entries.get(jwksUrl);
        if (entry == null || needsFetch(entry, kid, maxAge, minRefetchInterval)) {
            entry = refresh(jwksUrl, entry, fetcher);
        }
        JsonWebKeys.SigningKey key = entry.keys().get(kid);
        if (key != null) {
            return key;
        }
        if (entry.failure() != null) {
            throw new IdTokenRejectedException("ID token key id '" + kid + "' is not among the cached keys, and the provider's signing keys "
                    + "could not be fetched from " + jwksUrl + ": " + entry.failure());
        }
        throw new IdTokenRejectedException("ID token signed with unknown key id '" + kid + "'");
    }

    private boolean needsFetch(Entry entry, String kid, Duration maxAge, Duration minRefetchInterval) {
        Instant now = clock.instant();
        if (entry.attemptedAt().plus(minRefetchInterval).isAfter(now)) {
            return false;
        }
        boolean stale = entry.fetchedAt() == null || entry.fetchedAt().plus(maxAge).isBefore(now);
        return stale || !entry.keys().containsKey(kid);
    }

    private Entry refresh(String jwksUrl, Entry seen, Fetcher fetcher) {
        synchronized (fetchLocks.computeIfAbsent(jwksUrl, url -> new Object())) {
            Entry current = entries.get(jwksUrl);
            if (current != seen) {
                return current; // another request attempted a fetch while this one waited: use its outcome
            }
            Entry next;
            try {
                next = new Entry(Map.copyOf(fetcher.fetch(jwksUrl)), clock.instant(), clock.instant(), null);
            } catch (IOException | RuntimeException e) {
                String failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                LOG.warnf("Could not fetch identity provider signing keys from %s: %s; %s", jwksUrl, failure,
                        current == null ? "no keys cached, ID tokens are refused until a fetch succeeds"
                                : "the " + current.keys().size() + " cached keys stay in use");
                next = current == null ? new Entry(Map.of(), null, clock.instant(), failure)
                        : new Entry(current.keys(), current.fetchedAt(), clock.instant(), failure);
            }
            entries.put(jwksUrl, next);
            return next;
        }
    }
}

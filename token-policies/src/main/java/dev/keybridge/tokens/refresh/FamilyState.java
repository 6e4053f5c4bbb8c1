package dev.keybridge.tokens.refresh;

import java.util.Map;
import java.util.TreeMap;

import org.keycloak.models.AuthenticatedClientSessionModel;

/**
 * What the server remembers about one refresh-token chain, kept as a note of the client session
 * (so it lives, and is replicated, where Keycloak keeps the session itself).
 *
 * @param generation        generation of the newest token issued in the chain (the root token is 0)
 * @param rotatedAtMillis   when that generation was issued, i.e. when the previous one was rotated out
 * @param startedAtSeconds  issue time of the chain's root token: start of the absolute lifetime
 * @param lastRefreshSeconds time of the last successful refresh: start of the idle lifetime
 */
public record FamilyState(int generation, long rotatedAtMillis, long startedAtSeconds, long lastRefreshSeconds) {

    private static final String SEPARATOR = ":";
    private static final String NOTE_PREFIX = "kb.rrt.";

    /** The client-session note holding the state of a chain. */
    public static String noteKey(String chainId) {
        return NOTE_PREFIX + chainId;
    }

    /** Every chain whose state a client session holds, by chain id. */
    public static Map<String, FamilyState> allIn(AuthenticatedClientSessionModel clientSession) {
        Map<String, FamilyState> chains = new TreeMap<>();
        clientSession.getNotes().forEach((key, value) -> {
            FamilyState state = key.startsWith(NOTE_PREFIX) ? fromNote(value) : null;
            if (state != null) {
                chains.put(key.substring(NOTE_PREFIX.length()), state);
            }
        });
        return chains;
    }

    /** State of a chain whose root token is presented for the first time. */
    public static FamilyState ofRoot(long rootIssuedAtSeconds) {
        return new FamilyState(0, rootIssuedAtSeconds * 1000, rootIssuedAtSeconds, rootIssuedAtSeconds);
    }

    public String toNote() {
        return generation + SEPARATOR + rotatedAtMillis + SEPARATOR + startedAtSeconds + SEPARATOR + lastRefreshSeconds;
    }

    /** @return the state, or null when the note is absent or not one this class wrote */
    public static FamilyState fromNote(String note) {
        if (note == null) {
            return null;
        }
        String[] parts = note.split(SEPARATOR);
        if (parts.length != 4) {
            return null;
        }
        try {
            return new FamilyState(Integer.parseInt(parts[0]), Long.parseLong(parts[1]),
                    Long.parseLong(parts[2]), Long.parseLong(parts[3]));
        } catch (NumberFormatException notOurs) {
            return null;
        }
    }

    /** The chain after the presented token was exchanged for a token of {@code newGeneration}. */
    public FamilyState refreshed(int newGeneration, long nowMillis) {
        long nowSeconds = nowMillis / 1000;
        return newGeneration > generation
                ? new FamilyState(newGeneration, nowMillis, startedAtSeconds, nowSeconds)
                : new FamilyState(generation, rotatedAtMillis, startedAtSeconds, nowSeconds);
    }
}

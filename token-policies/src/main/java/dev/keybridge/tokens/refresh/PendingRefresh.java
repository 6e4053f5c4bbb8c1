package dev.keybridge.tokens.refresh;

import org.keycloak.representations.RefreshToken;

/**
 * The executor's allowed verdict on a refresh, handed (as a Keycloak session attribute) to
 * {@link ChainRefreshTokenProvider}, which applies it once Keycloak has validated the token and built
 * the new one.
 */
record PendingRefresh(RotatingRefreshTokenConfig config, String presentedTokenId, ChainPosition presented,
                      FamilyState state, Verdict verdict, long nowMillis) {

    static final String ATTRIBUTE = PendingRefresh.class.getName();

    /** Generation of the token this refresh hands out. */
    int issuedGeneration() {
        if (!config.isRotate()) {
            return presented.generation();
        }
        // A reuse inside the interval gets a sibling of the newest generation, so the chain never forks:
        // whichever sibling is used next becomes the only live line.
        return verdict == Verdict.PREVIOUS_WITHIN_INTERVAL ? state.generation() : presented.generation() + 1;
    }

    /** The latest expiry the family's lifetimes allow for a token issued now, or 0 when none applies. */
    long lifetimeCapSeconds() {
        long cap = Long.MAX_VALUE;
        if (config.getAbsoluteLifetimeSeconds() > 0) {
            cap = Math.min(cap, state.startedAtSeconds() + config.getAbsoluteLifetimeSeconds());
        }
        if (config.getIdleLifetimeSeconds() > 0) {
            cap = Math.min(cap, nowMillis / 1000 + config.getIdleLifetimeSeconds());
        }
        return cap == Long.MAX_VALUE ? 0 : cap;
    }

    /** Stamps the chain position and the lifetime cap onto the newly issued refresh token. */
    void applyTo(RefreshToken issued) {
        presented.atGeneration(issuedGeneration()).stampOnto(issued);
        long cap = lifetimeCapSeconds();
        Long exp = issued.getExp();
        if (cap > 0 && (exp == null || exp == 0 || exp > cap)) {
            issued.exp(cap);
        }
    }

    FamilyState stateAfter() {
        return state.refreshed(issuedGeneration(), nowMillis);
    }
}

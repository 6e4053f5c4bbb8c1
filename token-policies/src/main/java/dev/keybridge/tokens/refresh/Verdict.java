package dev.keybridge.tokens.refresh;

/** What the policy decides about one presented refresh token. */
public enum Verdict {
    /** The newest token of the chain: rotate to the next generation. */
    CURRENT(false),
    /** The immediately previous token, inside the reuse interval: answer with a sibling of the newest generation. */
    PREVIOUS_WITHIN_INTERVAL(false),
    /** The immediately previous token after the reuse interval: reuse, revoke. */
    PREVIOUS_AFTER_INTERVAL(true),
    /** A token older than the previous one: reuse, revoke. */
    OLDER(true),
    /** The chain is older than the absolute lifetime. */
    ABSOLUTE_LIFETIME_EXCEEDED(false),
    /** The chain was not refreshed for longer than the idle lifetime. */
    IDLE_LIFETIME_EXCEEDED(false);

    private final boolean breach;

    Verdict(boolean breach) {
        this.breach = breach;
    }

    public boolean isBreach() {
        return breach;
    }

    /** The chain's own lifetimes are over (idle or absolute), whatever the presented token's exp says. */
    public boolean isExpiry() {
        return this == ABSOLUTE_LIFETIME_EXCEEDED || this == IDLE_LIFETIME_EXCEEDED;
    }

    public boolean isAllowed() {
        return this == CURRENT || this == PREVIOUS_WITHIN_INTERVAL;
    }

    /**
     * Judges a presented token of {@code presentedGeneration} against the chain's state. Generations,
     * not issue times, decide, so a replay in the same second as the newer refresh is still caught.
     */
    public static Verdict judge(RotatingRefreshTokenConfig config, FamilyState state, int presentedGeneration, long nowMillis) {
        long nowSeconds = nowMillis / 1000;
        if (config.getAbsoluteLifetimeSeconds() > 0 && nowSeconds >= state.startedAtSeconds() + config.getAbsoluteLifetimeSeconds()) {
            return ABSOLUTE_LIFETIME_EXCEEDED;
        }
        if (config.getIdleLifetimeSeconds() > 0 && nowSeconds >= state.lastRefreshSeconds() + config.getIdleLifetimeSeconds()) {
            return IDLE_LIFETIME_EXCEEDED;
        }
        // A generation above the remembered one can only come from a state write that got lost; the
        // token is genuine (signed by this realm), so it is treated as the newest rather than a breach.
        if (presentedGeneration >= state.generation() || !config.isRotate()) {
            return CURRENT;
        }
        if (presentedGeneration == state.generation() - 1) {
            return nowMillis - state.rotatedAtMillis() < config.getReuseIntervalSeconds() * 1000L
                    ? PREVIOUS_WITHIN_INTERVAL
                    : PREVIOUS_AFTER_INTERVAL;
        }
        return OLDER;
    }
}

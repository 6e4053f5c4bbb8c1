package dev.keybridge.tokens.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VerdictTest {

    private static final long ROTATED_AT = 1_700_000_000_000L;

    private static RotatingRefreshTokenConfig config(int reuseInterval, int absolute, int idle) {
        RotatingRefreshTokenConfig config = new RotatingRefreshTokenConfig();
        config.setReuseIntervalSeconds(reuseInterval);
        config.setAbsoluteLifetimeSeconds(absolute);
        config.setIdleLifetimeSeconds(idle);
        return config;
    }

    private static FamilyState atGeneration(int generation) {
        return new FamilyState(generation, ROTATED_AT, ROTATED_AT / 1000 - 100, ROTATED_AT / 1000);
    }

    @Test
    void newestGenerationIsCurrent() {
        assertEquals(Verdict.CURRENT, Verdict.judge(config(0, 0, 0), atGeneration(3), 3, ROTATED_AT + 5));
    }

    @Test
    void previousGenerationInsideIntervalIsAllowedReuse() {
        assertEquals(Verdict.PREVIOUS_WITHIN_INTERVAL, Verdict.judge(config(10, 0, 0), atGeneration(3), 2, ROTATED_AT + 9_999));
    }

    @Test
    void previousGenerationAtTheIntervalEndIsBreach() {
        Verdict verdict = Verdict.judge(config(10, 0, 0), atGeneration(3), 2, ROTATED_AT + 10_000);
        assertEquals(Verdict.PREVIOUS_AFTER_INTERVAL, verdict);
        assertTrue(verdict.isBreach());
    }

    @Test
    void sameMillisecondReplayWithoutIntervalIsBreach() {
        // the stock check compares whole-second issue times and lets this through
        assertEquals(Verdict.PREVIOUS_AFTER_INTERVAL, Verdict.judge(config(0, 0, 0), atGeneration(1), 0, ROTATED_AT));
    }

    @Test
    void olderGenerationIsBreachEvenInsideInterval() {
        assertEquals(Verdict.OLDER, Verdict.judge(config(60, 0, 0), atGeneration(3), 1, ROTATED_AT + 1));
    }

    @Test
    void absoluteLifetimeEndsTheFamily() {
        FamilyState state = atGeneration(1);
        long end = (state.startedAtSeconds() + 150) * 1000;
        assertEquals(Verdict.CURRENT, Verdict.judge(config(0, 150, 0), state, 1, end - 1));
        Verdict verdict = Verdict.judge(config(0, 150, 0), state, 1, end);
        assertEquals(Verdict.ABSOLUTE_LIFETIME_EXCEEDED, verdict);
        assertFalse(verdict.isAllowed());
        assertFalse(verdict.isBreach());
    }

    @Test
    void idleLifetimeCountsFromTheLastRefresh() {
        FamilyState state = atGeneration(1);
        long idleEnd = (state.lastRefreshSeconds() + 30) * 1000;
        assertEquals(Verdict.CURRENT, Verdict.judge(config(0, 0, 30), state, 1, idleEnd - 1));
        assertEquals(Verdict.IDLE_LIFETIME_EXCEEDED, Verdict.judge(config(0, 0, 30), state, 1, idleEnd));
    }

    @Test
    void withoutRotationTheSameTokenStaysCurrent() {
        RotatingRefreshTokenConfig config = config(0, 0, 0);
        config.setRotate(false);
        assertEquals(Verdict.CURRENT, Verdict.judge(config, atGeneration(2), 0, ROTATED_AT + 100_000));
    }
}

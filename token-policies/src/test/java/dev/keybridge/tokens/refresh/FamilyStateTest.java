package dev.keybridge.tokens.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FamilyStateTest {

    @Test
    void noteRoundTrips() {
        FamilyState state = new FamilyState(7, 1_700_000_123_456L, 1_699_999_000L, 1_700_000_100L);
        assertEquals(state, FamilyState.fromNote(state.toNote()));
    }

    @Test
    void foreignOrMissingNotesAreNoState() {
        assertNull(FamilyState.fromNote(null));
        assertNull(FamilyState.fromNote("7:abc:1:2"));
        assertNull(FamilyState.fromNote("something else"));
    }

    @Test
    void rotationMovesGenerationAndRotationTime() {
        FamilyState root = FamilyState.ofRoot(1_000);
        FamilyState rotated = root.refreshed(1, 1_005_250);
        assertEquals(new FamilyState(1, 1_005_250, 1_000, 1_005), rotated);
    }

    @Test
    void siblingIssueKeepsRotationTimeSoTheIntervalDoesNotSlide() {
        FamilyState rotated = new FamilyState(4, 2_000_000, 1_000, 2_000);
        assertEquals(new FamilyState(4, 2_000_000, 1_000, 2_003), rotated.refreshed(4, 2_003_900));
    }
}

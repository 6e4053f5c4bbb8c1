package dev.keybridge.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a row's username or email must be to answer a lookup: the typed name, letter case aside. */
class LoginNameMatchTest {

    @Test
    void letterCaseIsIgnored() {
        assertTrue(LegacyUserTable.sameLoginName("mixed.case@timelapse.me", "Mixed.Case@TimeLapse.me"));
        assertTrue(LegacyUserTable.sameLoginName("LEGACY1@EXAMPLE.ORG", "legacy1@example.org"));
    }

    @Test
    void whatACollationAlsoIgnoresIsNot() {
        assertFalse(LegacyUserTable.sameLoginName("légacy1@example.org", "legacy1@example.org"));
        assertFalse(LegacyUserTable.sameLoginName("legacy1@ÉXAMPLE.ORG", "legacy1@example.org"));
        assertFalse(LegacyUserTable.sameLoginName("legacy1@example.org ", "legacy1@example.org"));
        assertFalse(LegacyUserTable.sameLoginName("legacy1@example.org", null));
    }
}

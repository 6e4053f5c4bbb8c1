package dev.keybridge.rest.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PagingTest {

    @Test
    void blanksMeanFirstPageOfDefaultSize() {
        assertEquals(new Paging(0, 100), Paging.parse(null, "", 100, 1000));
    }

    @Test
    void sizeAboveTheCapIsCapped() {
        assertEquals(new Paging(20, 1000), Paging.parse("20", "5000", 100, 1000));
    }

    @Test
    void nonNumbersNegativeOffsetAndEmptyPagesAreBadRequests() {
        for (String[] bad : new String[][] {{"x", "1"}, {"0", "1.5"}, {"-1", "10"}, {"0", "0"}}) {
            ApiException failure = assertThrows(ApiException.class, () -> Paging.parse(bad[0], bad[1], 100, 1000));
            assertEquals(400, failure.status());
        }
    }
}

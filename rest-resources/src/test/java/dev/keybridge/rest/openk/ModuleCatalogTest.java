package dev.keybridge.rest.openk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class ModuleCatalogTest {

    @Test
    void attributeIntegersFallBackOnFreeText() {
        assertEquals(3, ModuleCatalog.intOr(" 3 ", 1));
        assertEquals(1, ModuleCatalog.intOr("three", 1));
        assertEquals(7, ModuleCatalog.intOr(null, 7));
    }

    @Test
    void modulesSortByOrderThenNameWithUnorderedLast() {
        ModuleConfig unordered = new ModuleConfig("alpha", 1, null, null, "r", Integer.MAX_VALUE);
        ModuleConfig second = new ModuleConfig("Zulu", 1, null, null, "r", 2);
        ModuleConfig firstB = new ModuleConfig("bravo", 1, null, null, "r", 1);
        ModuleConfig firstA = new ModuleConfig("Alpha", 1, null, null, "r", 1);
        assertEquals(List.of(firstA, firstB, second, unordered),
                Stream.of(unordered, second, firstB, firstA).sorted(ModuleCatalog.DISPLAY_ORDER).toList());
    }
}

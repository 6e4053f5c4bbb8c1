package dev.keybridge.rest.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonObjectBodyTest {

    @Test
    void readsStringFieldsOnly() {
        JsonObjectBody body = JsonObjectBody.parse("{\"a\":\"x\",\"n\":1,\"o\":{},\"z\":null}");
        assertEquals("x", body.text("a"));
        assertNull(body.text("n"));
        assertNull(body.text("o"));
        assertNull(body.text("z"));
        assertNull(body.text("missing"));
        assertEquals(1, body.node("n").asInt());
    }

    @Test
    void refusesEmptyMalformedNonObjectAndOversizedBodies() {
        assertEquals("Request body must be a JSON object", assertThrows(ApiException.class, () -> JsonObjectBody.parse(" ")).description());
        assertEquals("Request body is not valid JSON", assertThrows(ApiException.class, () -> JsonObjectBody.parse("{\"a\":")).description());
        assertEquals("Request body must be a JSON object", assertThrows(ApiException.class, () -> JsonObjectBody.parse("[1]")).description());
        String large = "{\"a\":\"" + "x".repeat(JsonObjectBody.MAX_CHARS) + "\"}";
        assertEquals(400, assertThrows(ApiException.class, () -> JsonObjectBody.parse(large)).status());
    }
}

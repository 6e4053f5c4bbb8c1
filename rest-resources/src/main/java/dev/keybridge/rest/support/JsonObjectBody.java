package dev.keybridge.rest.support;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.util.JsonSerialization;

/**
 * A request body that must be one JSON object, read leniently: compatibility clients send any content type, and
 * unknown fields are ignored as the originals did.
 */
public final class JsonObjectBody {

    /** Far above any legitimate credentials request; larger bodies are refused before parsing. */
    public static final int MAX_CHARS = 64 * 1024;

    private final JsonNode object;

    private JsonObjectBody(JsonNode object) {
        this.object = object;
    }

    /** @throws ApiException 400 when the body is empty, too large, not JSON, or not an object */
    public static JsonObjectBody parse(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("Request body must be a JSON object");
        }
        if (body.length() > MAX_CHARS) {
            throw ApiException.badRequest("Request body is larger than " + MAX_CHARS + " characters");
        }
        JsonNode node;
        try {
            node = JsonSerialization.mapper.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("Request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("Request body must be a JSON object");
        }
        return new JsonObjectBody(node);
    }

    /** The field's value when it is a JSON string, else null (missing, null, number, object ...). */
    public String text(String field) {
        JsonNode value = object.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** The field's value as JSON, or null when missing. */
    public JsonNode node(String field) {
        return object.get(field);
    }
}

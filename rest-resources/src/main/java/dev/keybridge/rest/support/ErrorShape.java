package dev.keybridge.rest.support;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;

/**
 * How one compatibility API writes an {@link ApiException}: its body, and where the API differs from the default
 * (JSON, the failure's status, readable from any origin), its media type, status, extra headers and CORS.
 */
@FunctionalInterface
public interface ErrorShape {

    Object body(ApiException failure);

    default MediaType mediaType() {
        return MediaType.APPLICATION_JSON_TYPE;
    }

    default int status(ApiException failure) {
        return failure.status();
    }

    default Map<String, String> headers() {
        return Map.of();
    }

    /** Whether errors are readable cross-origin; an API browsers never call leaves CORS out. */
    default boolean crossOrigin() {
        return true;
    }
}

package dev.keybridge.rest.support;

import java.util.function.Supplier;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * Runs a compatibility endpoint's body so every expected failure reaches the client as a JSON error in that
 * API's own shape, readable cross-origin, and no bad input turns into a 500.
 */
public final class Endpoints {

    private static final Logger LOG = Logger.getLogger(Endpoints.class);

    private Endpoints() {
    }

    public static Response run(ErrorShape shape, Supplier<Response> body) {
        try {
            return body.get();
        } catch (ApiException failure) {
            LOG.debugf("%d %s: %s", failure.status(), failure.error(), failure.description());
            return error(shape, failure);
        }
    }

    public static Response error(ErrorShape shape, ApiException failure) {
        return CorsResponses.anyOrigin(Response.status(failure.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(shape.body(failure)));
    }
}

package dev.keybridge.rest.support;

import java.util.function.Supplier;

import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * Runs a compatibility endpoint's body so every expected failure reaches the client in that API's own
 * {@link ErrorShape} (body, media type, status, headers, CORS), and no bad input turns into a 500.
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
        Response.ResponseBuilder response = Response.status(shape.status(failure)).type(shape.mediaType()).entity(shape.body(failure));
        shape.headers().forEach(response::header);
        return shape.crossOrigin() ? CorsResponses.anyOrigin(response) : response.build();
    }
}

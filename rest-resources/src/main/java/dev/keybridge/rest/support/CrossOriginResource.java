package dev.keybridge.rest.support;

import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;

/** A {@link ConfiguredResource} that browsers call: it answers CORS preflights on every path. */
public abstract class CrossOriginResource<S> extends ConfiguredResource<S> {

    protected CrossOriginResource(KeycloakSession session, S settings) {
        super(session, settings);
    }

    @OPTIONS
    @Path("{any:.*}")
    public Response preflight() {
        return CorsResponses.preflight("GET", "POST", "OPTIONS");
    }
}

package dev.keybridge.rest.support;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.cors.Cors;

/**
 * CORS for browser clients of compatibility endpoints, through Keycloak's own {@link Cors} provider: an
 * actual request is answered for the origins the caller's token allows (its {@code allowed-origins}, else its
 * client's web origins) or, before a token exists, the web origins of the client the endpoint acts for.
 */
public final class CorsResponses {

    private CorsResponses() {
    }

    /** Answers a preflight: any origin may ask; the actual request is checked against allowed origins. */
    public static Response preflight(String... methods) {
        return Cors.builder().auth().allowedMethods(methods).preflight().add(Response.ok());
    }

    /** @throws ApiException 403 when the request's Origin is not one the token allows */
    public static Response forToken(AccessToken token, Response.ResponseBuilder response) {
        try {
            return Cors.builder().auth().checkAllowedOrigins(token).add(response);
        } catch (ForbiddenException e) {
            throw originNotAllowed();
        }
    }

    /** @throws ApiException 403 when the request's Origin is not among the client's web origins */
    public static Cors checkedForClient(KeycloakSession session, ClientModel client) {
        try {
            return Cors.builder().auth().checkAllowedOrigins(session, client);
        } catch (ForbiddenException e) {
            throw originNotAllowed();
        }
    }

    /** For responses that carry no user data (errors, public info): readable from any origin. */
    public static Response anyOrigin(Response.ResponseBuilder response) {
        return Cors.builder().allowAllOrigins().add(response);
    }

    private static ApiException originNotAllowed() {
        return ApiException.forbidden("Origin not allowed");
    }
}

package dev.keybridge.rest.support;

import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** A compatibility resource serving one request in the current realm, with its {@link RealmSettings}. */
public abstract class ConfiguredResource {

    protected final KeycloakSession session;
    protected final RealmModel realm;
    protected final RealmSettings settings;

    protected ConfiguredResource(KeycloakSession session, RealmSettings settings) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.settings = settings;
    }

    @OPTIONS
    @Path("{any:.*}")
    public Response preflight() {
        return CorsResponses.preflight("GET", "POST", "OPTIONS");
    }
}

package dev.keybridge.rest.watcherex;

import java.util.List;
import java.util.Optional;

import dev.keybridge.rest.support.AcceptedClients;
import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.BearerAuth;
import dev.keybridge.rest.support.CrossOriginResource;
import dev.keybridge.rest.support.Endpoints;
import dev.keybridge.rest.support.ErrorShape;
import dev.keybridge.rest.support.RoleReference;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * WatcherEx's API inside Keycloak, at {@code /realms/{realm}/watcherex}: the routes, each handing its work to one class
 * ({@link WatcherExParameters} reads bodies, {@link WatcherExTokenProxy} runs Keycloak's token endpoint,
 * {@link WatcherExSessions} ends Keycloak sessions, {@link WatcherExUserAdmin} creates users), and the admin routes'
 * caller check. See docs/compatibility-apis.md (WatcherEx) for where it differs from the original on purpose.
 */
public class WatcherExResource extends CrossOriginResource<WatcherExSettings> {

    private static final ErrorShape ERRORS = WatcherExError::body;

    WatcherExResource(KeycloakSession session, WatcherExSettings settings) {
        super(session, settings);
    }

    @POST
    @Path("api/v1/auth/protocol/openid-connect/token")
    public Response token(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return Endpoints.run(ERRORS, () -> new WatcherExTokenProxy(session, settings)
                .token(WatcherExParameters.parse(session, body, contentType)));
    }

    @POST
    @Path("api/v1/auth/protocol/openid-connect/revoke")
    public Response revoke(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return Endpoints.run(ERRORS, () -> new WatcherExSessions(session).revoke(WatcherExParameters.parse(session, body, contentType)));
    }

    @POST
    @Path("admin/v1/sessions/logout")
    public Response logout() {
        return Endpoints.run(ERRORS, () -> new WatcherExSessions(session).logout(admin()));
    }

    @POST
    @Path("admin/v1/sessions/logout-all-sessions")
    public Response logoutAllSessions() {
        return Endpoints.run(ERRORS, () -> new WatcherExSessions(session).logoutAll(admin()));
    }

    /** User creation with the admin REST API's guards: see {@link WatcherExUserAdmin}. */
    @POST
    @Path("admin/v1/users")
    public Response createUser(String body) {
        return Endpoints.run(ERRORS, () -> new WatcherExUserAdmin(session, admin(), new GrantableRoles(settings.grantableRoles()),
                this::isAdmin).create(body));
    }

    /**
     * The caller, an active subject holding the admin role, with a token of a WatcherEx client (the {@code client}
     * setting's, or one of {@code accepted-clients}): else 403 unauthenticated or 401 unauthorized (sic).
     */
    private AuthResult admin() {
        AuthResult caller;
        try {
            caller = BearerAuth.require(session);
        } catch (ApiException notAuthenticated) {
            throw WatcherExError.unauthenticated();
        }
        if (!AcceptedClients.includes(caller, List.of(settings.client().clientId()), settings.acceptedClients())) {
            // a token of another application of the realm: not a WatcherEx credential
            throw WatcherExError.unauthenticated();
        }
        if (!isAdmin(caller.user())) {
            throw WatcherExError.unauthorized();
        }
        return caller;
    }

    private boolean isAdmin(UserModel user) {
        Optional<RoleModel> role = RoleReference.resolve(realm, settings.adminRole());
        return role.isPresent() && user.hasRole(role.get());
    }
}

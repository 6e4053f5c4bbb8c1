package dev.keybridge.rest.openk;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.keybridge.rest.support.AcceptedClients;
import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.BearerAuth;
import dev.keybridge.rest.support.CorsResponses;
import dev.keybridge.rest.support.CrossOriginResource;
import dev.keybridge.rest.support.Endpoints;
import dev.keybridge.rest.support.ErrorShape;
import dev.keybridge.rest.support.GrantOutcome;
import dev.keybridge.rest.support.HealthProbe;
import dev.keybridge.rest.support.Paging;
import dev.keybridge.rest.support.PasswordGrant;
import dev.keybridge.rest.support.RoleAccess;
import dev.keybridge.rest.support.RoleReference;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.Version;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.DeploymentStateProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;
import org.keycloak.services.resources.admin.fgap.UserPermissionEvaluator;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.util.JsonSerialization;

/**
 * openK authAndAuth's REST API inside Keycloak, at {@code /realms/{realm}/openk}: a portal changes only its
 * base URL. See the README (openK section) for the contract and where it differs from the original on purpose.
 */
public class OpenkResource extends CrossOriginResource<OpenkSettings> {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;
    static final String VIEW_USERS = Constants.REALM_MANAGEMENT_CLIENT_ID + "/" + AdminRoles.VIEW_USERS;

    private static final ErrorShape ERRORS = OpenkError::of;

    OpenkResource(KeycloakSession session, OpenkSettings settings) {
        super(session, settings);
    }

    @GET
    @Path("usersForRole/{userRole: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response usersForRole(@PathParam("userRole") String userRole,
                                 @QueryParam("first") String first,
                                 @QueryParam("max") String max,
                                 @QueryParam("briefRepresentation") String briefRepresentation) {
        return Endpoints.run(ERRORS, () -> {
            AuthResult caller = portalCaller();
            List<String> allowedRoles = new ArrayList<>(List.of(VIEW_USERS));
            if (!settings.accessRole().isBlank()) {
                allowedRoles.add(settings.accessRole());
            }
            RoleAccess.requireAny(realm, caller.user(), allowedRoles, "list the users of a role");
            RoleModel role = RoleReference.resolve(realm, userRole)
                    .orElseThrow(() -> ApiException.notFound("Role '" + userRole + "' not found in realm " + realm.getName()));
            Paging paging = Paging.parse(first, max, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
            boolean brief = Boolean.parseBoolean(briefRepresentation);

            UserPermissionEvaluator permissions = AdminPermissions.evaluator(session, realm,
                    new AdminAuth(realm, caller.token(), caller.user(), caller.client())).users();
            // full entries, as the admin API's users/{id}, only for users the caller may view there; brief ones otherwise
            List<UserRepresentation> users = new EffectiveRoleMembers(session).userIds(realm, role, paging).stream()
                    .map(id -> session.users().getUserById(realm, id))
                    .filter(Objects::nonNull)
                    .map(user -> brief || !permissions.canView(user)
                            ? ModelToRepresentation.toBriefRepresentation(user)
                            : fullRepresentation(user, permissions))
                    .toList();
            return CorsResponses.forToken(caller.token(), Response.ok(users, MediaType.APPLICATION_JSON_TYPE));
        });
    }

    /** The user profile's admin view of the user (attributes it lets admins see only), as the admin API's users/{id}. */
    private UserRepresentation fullRepresentation(UserModel user, UserPermissionEvaluator permissions) {
        UserRepresentation rep = session.getProvider(UserProfileProvider.class).create(UserProfileContext.USER_API, user).toRepresentation();
        rep.setRealmRoles(user.getRealmRoleMappingsStream().map(RoleModel::getName).sorted().toList());
        rep.setAccess(permissions.getAccess(user));
        return rep;
    }

    @GET
    @Path("userModulesForUser")
    @Produces(MediaType.APPLICATION_JSON)
    public Response userModulesForUser() {
        return Endpoints.run(ERRORS, () -> {
            AuthResult caller = portalCaller();
            List<ModuleConfig> modules = new ModuleCatalog(session, realm).modulesFor(caller.user());
            return CorsResponses.forToken(caller.token(), Response.ok(modules, MediaType.APPLICATION_JSON_TYPE));
        });
    }

    /**
     * The caller of a portal route: a valid token issued to the login client or an accepted client.
     *
     * @throws ApiException 401 {@code invalid_token} for a token of any other client of the realm
     */
    private AuthResult portalCaller() {
        AuthResult caller = BearerAuth.require(session);
        if (!AcceptedClients.includes(caller, List.of(settings.loginClient()), settings.acceptedClients())) {
            throw ApiException.unauthorized("Access token of client '" + caller.client().getClientId() + "' is not accepted here (settings "
                    + OpenkSettings.LOGIN_CLIENT_KEY + ", " + AcceptedClients.SETTING + ")");
        }
        return caller;
    }

    @POST
    @Path("login")
    @Produces(MediaType.APPLICATION_JSON)
    public Response login(String body) {
        return Endpoints.run(ERRORS, () -> {
            LoginRequest credentials = parseLogin(body);
            ClientModel client = realm.getClientByClientId(settings.loginClient());
            if (client == null || !client.isEnabled()) {
                throw new ApiException(400, "unauthorized_client",
                        "Login client '" + settings.loginClient() + "' does not exist or is disabled in realm " + realm.getName());
            }
            Cors cors = CorsResponses.checkedForClient(session, client);
            GrantOutcome outcome = PasswordGrant.login(session, client, credentials.userName(), credentials.password());
            if (outcome instanceof GrantOutcome.Tokens tokens) {
                return cors.add(Response.ok(tokens.response(), MediaType.APPLICATION_JSON_TYPE)
                        .header("Cache-Control", "no-store")
                        .header("Pragma", "no-cache"));
            }
            GrantOutcome.Failure failure = (GrantOutcome.Failure) outcome;
            // openK: "401 - login credentials are wrong"; Keycloak answers disabled or unfinished accounts with 400
            int status = "invalid_grant".equals(failure.error()) ? 401 : failure.status();
            throw new ApiException(status, failure.error(), failure.description());
        });
    }

    private static LoginRequest parseLogin(String body) {
        LoginRequest request;
        try {
            request = body == null || body.isBlank() ? null : JsonSerialization.readValue(body, LoginRequest.class);
        } catch (IOException e) {
            throw ApiException.badRequest("Body must be JSON {\"userName\":\"...\",\"password\":\"...\"}");
        }
        if (request == null || isBlank(request.userName()) || request.password() == null) {
            throw ApiException.badRequest("Body must be JSON {\"userName\":\"...\",\"password\":\"...\"}");
        }
        return request;
    }

    @POST
    @Path("logout")
    @Produces(MediaType.APPLICATION_JSON)
    public Response logout() {
        return Endpoints.run(ERRORS, () -> {
            AuthResult caller = BearerAuth.require(session);
            Response response = CorsResponses.forToken(caller.token(), Response.ok(Ret.OK, MediaType.APPLICATION_JSON_TYPE));
            AuthenticationManager.backchannelLogout(session, caller.session(), true);
            new EventBuilder(realm, session, session.getContext().getConnection())
                    .event(EventType.LOGOUT)
                    .user(caller.user())
                    .session(caller.session())
                    .client(caller.client())
                    .detail("endpoint", OpenkResourceProviderFactory.PROVIDER_ID + "/logout")
                    .success();
            return response;
        });
    }

    /** Valid token and live session: OK, and the session's idle timer restarts as on a token refresh. */
    @GET
    @Path("checkAuth")
    @Produces(MediaType.APPLICATION_JSON)
    public Response checkAuth() {
        return Endpoints.run(ERRORS, () -> {
            AuthResult caller = BearerAuth.require(session);
            // origin first: a refused cross-origin call must not touch the session
            Response response = CorsResponses.forToken(caller.token(), Response.ok(Ret.OK, MediaType.APPLICATION_JSON_TYPE));
            int now = Time.currentTime();
            caller.session().setLastSessionRefresh(now);
            AuthenticatedClientSessionModel clientSession =
                    caller.session().getAuthenticatedClientSessionByClient(caller.client().getId());
            if (clientSession != null) {
                clientSession.setTimestamp(now);
            }
            return response;
        });
    }

    @GET
    @Path("versionInfo")
    @Produces(MediaType.APPLICATION_JSON)
    public Response versionInfo() {
        return Endpoints.run(ERRORS, () -> {
            String backend = Objects.requireNonNullElse(OpenkResource.class.getPackage().getImplementationVersion(), "unknown");
            String db = session.getProvider(DeploymentStateProvider.class).getMigrationModel().getStoredVersion();
            return CorsResponses.anyOrigin(Response.ok(new VersionInfo(backend, Version.VERSION, db), MediaType.APPLICATION_JSON_TYPE));
        });
    }

    @GET
    @Path("healthcheck")
    @Produces(MediaType.APPLICATION_JSON)
    public Response healthcheck(@QueryParam("pretty") String pretty) {
        return Endpoints.run(ERRORS, () -> {
            HealthState state = health();
            Object body = state.asBody();
            if (Boolean.parseBoolean(pretty)) {
                try {
                    body = JsonSerialization.writeValueAsPrettyString(body);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot write health state", e);
                }
            }
            return CorsResponses.anyOrigin(Response.status(state.healthy() ? 200 : 503)
                    .type(MediaType.APPLICATION_JSON_TYPE).entity(body));
        });
    }

    /** The original document's spelling of the pretty variant, {@code /healthcheck/pretty=true}. */
    @GET
    @Path("healthcheck/pretty=true")
    @Produces(MediaType.APPLICATION_JSON)
    public Response healthcheckPretty() {
        return healthcheck("true");
    }

    private HealthState health() {
        if (!realm.isEnabled()) {
            return new HealthState(false, "Realm " + realm.getName() + " is disabled");
        }
        Optional<String> problem = HealthProbe.databaseProblem(OpenkResourceProviderFactory.PROVIDER_ID + "/healthcheck",
                () -> session.getProvider(JpaConnectionProvider.class).getEntityManager()
                        .createQuery("select count(r) from RealmEntity r where r.id = :id", Long.class)
                        .setParameter("id", realm.getId())
                        .getSingleResult());
        return new HealthState(problem.isEmpty(), problem.orElse(null));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}

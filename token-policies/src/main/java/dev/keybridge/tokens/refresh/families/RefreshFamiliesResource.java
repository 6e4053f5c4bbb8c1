package dev.keybridge.tokens.refresh.families;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.keybridge.tokens.refresh.FamilyState;
import dev.keybridge.tokens.refresh.RotatingRefreshTokenConfig;
import dev.keybridge.tokens.refresh.RotationCoverage;
import dev.keybridge.tokens.refresh.Verdict;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.util.Time;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.ErrorResponse;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Lists and revokes a user's refresh-token families. Guards as the admin API's user-session endpoints: viewing needs
 * the right to view the user (GET /users/{id}/sessions), revoking the right to manage the user
 * (DELETE /sessions/{id}); revocations are admin events.
 */
public class RefreshFamiliesResource {

    private static final String CLIENT_SCOPE = "client";
    private static final String SESSION_SCOPE = "session";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    RefreshFamiliesResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.USER_SESSION);
    }

    @GET
    @Path("users/{userId}")
    @Produces(MediaType.APPLICATION_JSON)
    public List<RefreshFamily> families(@PathParam("userId") String userId) {
        UserModel user = user(userId);
        auth.users().requireView(user);
        List<RefreshFamily> families = new ArrayList<>();
        long now = Time.currentTimeMillis();
        sessionsOf(user).forEach(userSession -> userSession.getAuthenticatedClientSessions().values().forEach(clientSession ->
                FamilyState.allIn(clientSession).forEach((chainId, state) ->
                        families.add(representation(chainId, state, userSession, clientSession, now)))));
        return families;
    }

    /**
     * Revokes one family: by default the client session that holds it (every token of that client in that login), or
     * with {@code scope=session} the whole login, as the policy's {@code on-breach} settings do.
     */
    @DELETE
    @Path("users/{userId}/families/{family}")
    public Response revoke(@PathParam("userId") String userId, @PathParam("family") String family,
                           @QueryParam("scope") @DefaultValue(CLIENT_SCOPE) String scope) {
        UserModel user = user(userId);
        auth.users().requireManage(user);
        if (!CLIENT_SCOPE.equals(scope) && !SESSION_SCOPE.equals(scope)) {
            throw ErrorResponse.error("scope must be '" + CLIENT_SCOPE + "' or '" + SESSION_SCOPE + "'", Response.Status.BAD_REQUEST);
        }
        String noteKey = FamilyState.noteKey(family);
        for (UserSessionModel userSession : sessionsOf(user).toList()) {
            for (AuthenticatedClientSessionModel clientSession : userSession.getAuthenticatedClientSessions().values()) {
                if (clientSession.getNote(noteKey) != null) {
                    revoke(userSession, clientSession, SESSION_SCOPE.equals(scope));
                    adminEvent.operation(OperationType.DELETE)
                            .resourcePath(session.getContext().getUri())
                            .detail("family", family)
                            .detail("client_id", clientSession.getClient().getClientId())
                            .detail("scope", scope)
                            .success();
                    return Response.noContent().build();
                }
            }
        }
        throw ErrorResponse.error("No live refresh-token family " + family + " for this user", Response.Status.NOT_FOUND);
    }

    private void revoke(UserSessionModel userSession, AuthenticatedClientSessionModel clientSession, boolean wholeSession) {
        if (!wholeSession) {
            clientSession.detachFromUserSession();
        } else if (userSession.isOffline()) {
            new UserSessionManager(session).revokeOfflineUserSession(userSession);
        } else {
            KeycloakContext context = session.getContext();
            AuthenticationManager.backchannelLogout(session, realm, userSession, context.getUri(), context.getConnection(),
                    context.getRequestHeaders(), true);
        }
    }

    /** A missing user is a 404 only for callers who may query users, as in the admin API; others get 403. */
    private UserModel user(String userId) {
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            auth.users().requireQuery();
            throw ErrorResponse.error("User not found", Response.Status.NOT_FOUND);
        }
        return user;
    }

    private Stream<UserSessionModel> sessionsOf(UserModel user) {
        return Stream.concat(session.sessions().getUserSessionsStream(realm, user),
                session.sessions().getOfflineUserSessionsStream(realm, user));
    }

    private RefreshFamily representation(String chainId, FamilyState state, UserSessionModel userSession,
                                         AuthenticatedClientSessionModel clientSession, long nowMillis) {
        List<RotatingRefreshTokenConfig> policies = RotationCoverage.executorsOf(session, clientSession.getClient());
        String status = policies.isEmpty() ? "not-covered"
                : policies.stream().anyMatch(config -> Verdict.judge(config, state, state.generation(), nowMillis).isExpiry())
                ? "expired" : "active";
        return new RefreshFamily(chainId, userSession.getId(), userSession.isOffline(), clientSession.getClient().getClientId(),
                state.generation(), state.startedAtSeconds(), state.lastRefreshSeconds(), state.rotatedAtMillis() / 1000, status);
    }
}

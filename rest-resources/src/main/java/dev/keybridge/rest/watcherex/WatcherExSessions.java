package dev.keybridge.rest.watcherex;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.keybridge.rest.support.CorsResponses;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/** WatcherEx's revoke and logout routes: each ends Keycloak user sessions, with a LOGOUT event. */
final class WatcherExSessions {

    private final KeycloakSession session;
    private final RealmModel realm;

    WatcherExSessions(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    /**
     * Revokes a token by ending its Keycloak user session. Answers 200 with an empty body as the original did, also
     * for unknown tokens (RFC 7009), where the original failed with a 500.
     */
    Response revoke(Map<String, String> params) {
        for (String name : List.of(OAuth2Constants.ACCESS_TOKEN, OAuth2Constants.REFRESH_TOKEN)) {
            sessionOf(params.get(name)).ifPresent(userSession -> {
                AuthenticationManager.backchannelLogout(session, userSession, true);
                event().user(userSession.getUser()).session(userSession)
                        .detail("endpoint", WatcherExResourceProviderFactory.PROVIDER_ID + "/revoke").success();
            });
        }
        // an empty body still needs a media type: Keycloak's security-headers filter refuses 200s without one
        return CorsResponses.anyOrigin(Response.ok().type(MediaType.TEXT_PLAIN_TYPE));
    }

    /** The live user session of a token signed by this realm, if any. */
    private Optional<UserSessionModel> sessionOf(String encoded) {
        AccessToken token = encoded == null ? null : session.tokens().decode(encoded, AccessToken.class);
        String issuer = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
        if (token == null || !issuer.equals(token.getIssuer()) || token.getSessionId() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(session.sessions().getUserSession(realm, token.getSessionId()));
    }

    /** Ends the admin caller's own session. */
    Response logout(AuthResult caller) {
        return end(caller, List.of(caller.session()));
    }

    /** Ends every session of the admin caller. */
    Response logoutAll(AuthResult caller) {
        return end(caller, session.sessions().getUserSessionsStream(realm, caller.user()).toList());
    }

    private Response end(AuthResult caller, List<UserSessionModel> sessions) {
        sessions.forEach(userSession -> AuthenticationManager.backchannelLogout(session, userSession, true));
        event().user(caller.user()).session(caller.session()).client(caller.client())
                .detail("endpoint", WatcherExResourceProviderFactory.PROVIDER_ID + "/admin/v1/sessions")
                .detail("sessions_ended", String.valueOf(sessions.size()))
                .success();
        return CorsResponses.anyOrigin(Response.noContent());
    }

    private EventBuilder event() {
        return new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.LOGOUT);
    }
}

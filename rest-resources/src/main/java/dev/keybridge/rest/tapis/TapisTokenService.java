package dev.keybridge.rest.tapis;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.keybridge.rest.support.FormRequest;
import dev.keybridge.tokens.tapis.TapisSessionNotes;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.endpoints.TokenEndpoint;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.representations.RefreshToken;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;
import org.keycloak.util.TokenUtil;

/**
 * Issues, refreshes and revokes Tapis tokens as ordinary Keycloak tokens: each minted token pair
 * belongs to a new persistent user session of the calling client, refreshes go through Keycloak's token
 * endpoint (so client authentication, rotation, client policies and events apply), revocation uses
 * Keycloak's revocation store. The Tapis claims come from the tapis-claims mapper, told through
 * client-session notes what this request asked for.
 */
final class TapisTokenService {

    static final String AUTH_METHOD = "tapis-tokens-api";

    private static final Logger LOG = Logger.getLogger(TapisTokenService.class);
    /** Upstream's wire format: Python's str() of a naive UTC datetime, e.g. 2019-10-14 16:01:32.898216 (no zone). */
    private static final DateTimeFormatter EXPIRES_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final KeycloakSession session;
    private final RealmModel realm;

    TapisTokenService(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    /**
     * Mints a token pair for {@code subject} in a new persistent session of {@code caller}; the request is validated.
     * The session is persistent even without a refresh token: Keycloak 26.7 checks a token minted this way against
     * its session (introspection, userinfo, bearer authentication) and finds no transient one (introspection answers
     * user_session_not_found). Per-token data is bounded by the request's validation.
     */
    Map<String, Object> create(NewTokenRequest request, ClientModel caller, UserModel subject, EventBuilder event) {
        OIDCAdvancedConfigWrapper clientConfig = OIDCAdvancedConfigWrapper.fromClientModel(caller);
        if (request.generateRefreshToken() && !clientConfig.isUseRefreshToken()) {
            throw TapisError.invalidData("POST", "client " + caller.getClientId()
                    + " does not use refresh tokens, so generate_refresh_token cannot be honoured.");
        }
        RootAuthenticationSessionModel rootAuthSession = new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
        AuthenticationSessionModel authSession = rootAuthSession.createAuthenticationSession(caller);
        authSession.setAuthenticatedUser(subject);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, "");

        String remoteHost = session.getContext().getConnection().getRemoteHost();
        UserSessionModel userSession = new UserSessionManager(session).createUserSession(rootAuthSession.getId(), realm, subject,
                subject.getUsername(), remoteHost, AUTH_METHOD, false, null, null, UserSessionModel.SessionPersistenceState.PERSISTENT);
        event.session(userSession);

        AuthenticationManager.setClientScopesInSession(session, authSession);
        ClientSessionContext clientSessionCtx = TokenManager.attachAuthenticationSession(session, userSession, authSession);
        AuthenticatedClientSessionModel clientSession = clientSessionCtx.getClientSession();
        setNote(clientSession, TapisSessionNotes.DELEGATION_SUB, request.delegationSub());
        setNote(clientSession, TapisSessionNotes.TARGET_SITE, request.targetSiteId());
        setNote(clientSession, TapisSessionNotes.EXTRA_CLAIMS, request.claimsJson());
        setNote(clientSession, TapisSessionNotes.ACCESS_TOKEN_TTL, request.accessTokenTtl() > 0 ? Long.toString(request.accessTokenTtl()) : null);

        TokenManager.AccessTokenResponseBuilder tokens = new TokenManager()
                .responseBuilder(realm, caller, event, session, userSession, clientSessionCtx)
                .generateAccessToken();
        if (request.generateRefreshToken()) {
            tokens.generateRefreshToken();
            RefreshToken refreshToken = tokens.getRefreshToken();
            long requestedExp = Time.currentTimeSeconds() + request.refreshTokenTtl();
            // a requested TTL may shorten the session's refresh-token lifetime, never extend it
            if (request.refreshTokenTtl() > 0 && requestedExp < refreshToken.getExp()) {
                refreshToken.exp(requestedExp);
            }
        }
        AccessTokenResponse response = tokens.build();
        event.success();
        return result(response);
    }

    /**
     * Runs Keycloak's token endpoint with a refresh_token grant for the client the refresh token was issued to, which
     * must be a client this API serves: realm and client checks, the client's authenticator (Basic header, or the
     * given client-authentication parameters), the refresh grant with rotation, client policies and events, as a
     * native client gets them.
     */
    Map<String, Object> refresh(String refreshToken, Map<String, String> clientAuthentication) {
        JsonWebToken unverified = unverified(refreshToken, "PUT");
        ClientModel client = unverified.getIssuedFor() == null ? null : realm.getClientByClientId(unverified.getIssuedFor());
        boolean refreshType = TokenUtil.TOKEN_TYPE_REFRESH.equals(unverified.getType()) || TokenUtil.TOKEN_TYPE_OFFLINE.equals(unverified.getType());
        if (client == null || !refreshType || TapisTenant.of(realm, client).isEmpty()) {
            throw TapisError.invalidData("PUT", "refresh_token is not a refresh token of this tenant.");
        }
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle(OAuth2Constants.GRANT_TYPE, OAuth2Constants.REFRESH_TOKEN);
        form.putSingle(OAuth2Constants.REFRESH_TOKEN, refreshToken);
        form.putSingle(OAuth2Constants.CLIENT_ID, client.getClientId());
        clientAuthentication.forEach(form::putSingle);
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .detail(Details.AUTH_METHOD, AUTH_METHOD);
        return FormRequest.with(session, form, () -> {
            try {
                Response response = new TokenEndpoint(session, new TokenManager(), event).processGrantRequest();
                return result((AccessTokenResponse) response.getEntity());
            } catch (CorsErrorResponseException e) {
                throw refused(e.getResponse().getStatus(), errorOf(e.getResponse()), e.getErrorDescription());
            } catch (WebApplicationException e) {
                throw refused(e.getResponse().getStatus(), errorOf(e.getResponse()), null);
            }
        });
    }

    private static String errorOf(Response response) {
        return response.getEntity() instanceof OAuth2ErrorRepresentation error ? error.getError() : null;
    }

    /** The token endpoint's refusal in Tapis' words: a client that did not authenticate is told so as at POST. */
    private static TapisError refused(int status, String error, String description) {
        if (status == Response.Status.FORBIDDEN.getStatusCode() && OAuthErrorException.ACCESS_DENIED.equals(error)) {
            return new TapisError(description == null ? "Access denied" : description, status);
        }
        if (status == Response.Status.UNAUTHORIZED.getStatusCode() || OAuthErrorException.INVALID_CLIENT.equals(error)
                || OAuthErrorException.UNAUTHORIZED_CLIENT.equals(error)) {
            return TapisError.badClientCredentials();
        }
        return TapisError.invalidData("PUT", "the refresh token was not accepted" + (description == null ? "" : ": " + description) + ".");
    }

    /**
     * Revokes a token signed by this realm: an access token goes into Keycloak's revoked-token store
     * until it expires; a refresh token ends its client session, so it and its successors stop
     * working. Returns the revoked token's jti.
     */
    String revoke(String encodedToken, EventBuilder event) {
        JsonWebToken unverified = unverified(encodedToken, "POST");
        boolean refresh = TokenUtil.TOKEN_TYPE_REFRESH.equals(unverified.getType()) || TokenUtil.TOKEN_TYPE_OFFLINE.equals(unverified.getType());
        JsonWebToken token = refresh ? session.tokens().decode(encodedToken, RefreshToken.class)
                : session.tokens().decode(encodedToken, AccessToken.class);
        if (token == null || !Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()).equals(token.getIssuer())) {
            throw new TapisError("Invalid POST data; could not validate the token: debug data: signature or issuer does not match this tenant.");
        }
        if (!token.isActive()) {
            throw new TapisError("Invalid POST data; could not validate the token: debug data: the token has expired.");
        }
        event.detail(Details.TOKEN_ID, token.getId()).detail(Details.TOKEN_TYPE, token.getType());
        ClientModel client = token.getIssuedFor() == null ? null : realm.getClientByClientId(token.getIssuedFor());
        if (client != null) {
            event.client(client);
        }
        if (refresh) {
            endClientSession((RefreshToken) token, client, event);
        } else {
            long lifespan = Math.max(token.getExp() - Time.currentTimeSeconds() + 1, 10);
            session.revokedTokens().put(token.getId(), lifespan);
        }
        event.success();
        return token.getId();
    }

    private void endClientSession(RefreshToken token, ClientModel client, EventBuilder event) {
        UserSessionModel userSession = token.getSessionId() == null ? null
                : TokenUtil.TOKEN_TYPE_OFFLINE.equals(token.getType())
                ? session.sessions().getOfflineUserSession(realm, token.getSessionId())
                : session.sessions().getUserSession(realm, token.getSessionId());
        AuthenticatedClientSessionModel clientSession = userSession == null || client == null ? null
                : userSession.getAuthenticatedClientSessionByClient(client.getId());
        if (clientSession == null) {
            event.error(Errors.INVALID_TOKEN);
            throw new TapisError("Invalid POST data; could not validate the token: debug data: its session has already ended.");
        }
        event.session(userSession).user(userSession.getUser());
        TokenManager.detachClientSession(clientSession);
    }

    private static JsonWebToken unverified(String encodedToken, String method) {
        try {
            return new JWSInput(encodedToken).readJsonContent(JsonWebToken.class);
        } catch (JWSInputException | RuntimeException e) {
            LOG.debugf("Unparsable token given to the Tapis Tokens API: %s", e.getMessage());
            throw "PUT".equals(method)
                    ? TapisError.invalidData(method, "refresh_token is not a JWT.")
                    : new TapisError("Invalid POST data; could not validate the token: debug data: the token is not a JWT.");
        }
    }

    private static void setNote(AuthenticatedClientSessionModel clientSession, String note, String value) {
        if (value != null) {
            clientSession.setNote(note, value);
        }
    }

    /** Tapis' result object: access_token and, when issued, refresh_token, each with jti and expiry. */
    private static Map<String, Object> result(AccessTokenResponse response) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("access_token", tokenEntry("access_token", response.getToken()));
        if (response.getRefreshToken() != null) {
            result.put("refresh_token", tokenEntry("refresh_token", response.getRefreshToken()));
        }
        return result;
    }

    /** An entry of the result; a token without expiry (an offline token) has null expires_at and expires_in. */
    private static Map<String, Object> tokenEntry(String field, String encoded) {
        JsonWebToken token = unverified(encoded, "POST");
        Long exp = token.getExp() == null || token.getExp() <= 0 ? null : token.getExp();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put(field, encoded);
        entry.put("expires_at", exp == null ? null : EXPIRES_AT.format(Instant.ofEpochSecond(exp).atOffset(ZoneOffset.UTC)));
        entry.put("expires_in", exp == null ? null : Math.max(0, exp - Time.currentTimeSeconds()));
        entry.put("jti", token.getId());
        return entry;
    }
}

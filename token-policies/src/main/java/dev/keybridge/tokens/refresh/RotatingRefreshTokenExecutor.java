package dev.keybridge.tokens.refresh;

import java.util.Locale;

import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.RefreshToken;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyEvent;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.LogoutRequestContext;
import org.keycloak.services.clientpolicy.context.TokenRefreshContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.util.TokenUtil;

/**
 * Judges every refresh of the clients its profile covers, before Keycloak verifies the token: under a
 * per-login lock it compares the presented token's generation with the chain state kept in the client
 * session, revokes on reuse and lets {@link ChainRefreshTokenProvider} finish an allowed refresh.
 */
public class RotatingRefreshTokenExecutor implements ClientPolicyExecutorProvider<RotatingRefreshTokenConfig> {

    private static final Logger LOG = Logger.getLogger(RotatingRefreshTokenExecutor.class);

    static final String REASON_REUSE = "refresh_token_reuse";
    static final String REASON_EXPIRED = "refresh_token_family_expired";
    /** How every refusal for an expired chain begins, whichever generation was presented. */
    private static final String FAMILY_EXPIRED = "Refresh token family expired";

    private final KeycloakSession session;
    private RotatingRefreshTokenConfig config = new RotatingRefreshTokenConfig();

    public RotatingRefreshTokenExecutor(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public String getProviderId() {
        return RotatingRefreshTokenExecutorFactory.PROVIDER_ID;
    }

    @Override
    public Class<RotatingRefreshTokenConfig> getExecutorConfigurationClass() {
        return RotatingRefreshTokenConfig.class;
    }

    @Override
    public void setupConfiguration(RotatingRefreshTokenConfig config) {
        this.config = config;
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        if (context.getEvent() == ClientPolicyEvent.TOKEN_REFRESH) {
            judge((TokenRefreshContext) context);
        } else if (context.getEvent() == ClientPolicyEvent.LOGOUT_REQUEST) {
            holdSessionDuringLogout((LogoutRequestContext) context);
        }
    }

    /**
     * A logout with a refresh token takes the same lock as the refreshes of that login, so a refresh in
     * flight cannot write its client session back after the logout removed it (which would leave the
     * refreshed tokens alive).
     */
    private void holdSessionDuringLogout(LogoutRequestContext context) throws ClientPolicyException {
        if (context.getParams() == null) {
            return; // front-channel logout of one client: no refresh token, nothing in flight to order
        }
        RefreshToken token = decodeOwnRefreshToken(context.getParams().getFirst(OAuth2Constants.REFRESH_TOKEN), context.getClient());
        if (token != null) {
            RefreshChainLock.acquire(session, RefreshChainLock.sessionLockId(token.getSessionId()));
        }
    }

    private void judge(TokenRefreshContext context) throws ClientPolicyException {
        ClientModel client = context.getClient();
        RefreshToken token = decodeOwnRefreshToken(context.getParams().getFirst(OAuth2Constants.REFRESH_TOKEN), client);
        if (token == null) {
            return; // not a refresh token of this client: Keycloak's own verification answers
        }
        RealmModel realm = session.getContext().getRealm();
        ChainPosition presented = ChainPosition.of(token);
        RefreshChainLock.acquire(session, RefreshChainLock.sessionLockId(token.getSessionId()));

        boolean offline = TokenUtil.TOKEN_TYPE_OFFLINE.equals(token.getType());
        UserSessionModel userSession = offline
                ? session.sessions().getOfflineUserSession(realm, token.getSessionId())
                : session.sessions().getUserSession(realm, token.getSessionId());
        AuthenticatedClientSessionModel clientSession = userSession == null ? null
                : userSession.getAuthenticatedClientSessionByClient(client.getId());
        if (clientSession == null) {
            return; // logged out or revoked already: Keycloak answers "Session not active" and the like
        }

        FamilyState stored = FamilyState.fromNote(clientSession.getNote(FamilyState.noteKey(presented.chainId())));
        FamilyState state = stored != null ? stored : FamilyState.ofRoot(token.getIat());
        long now = Time.currentTimeMillis();
        Verdict verdict = Verdict.judge(config, state, presented.generation(), now);
        if (!token.isActive() && !verdict.isExpiry()) {
            return; // expired on its own terms (not the chain's lifetimes): Keycloak answers "Token is not active"
        }

        if (verdict.isBreach()) {
            throw revokeOnReuse(realm, client, token, presented, state, verdict, userSession, clientSession);
        }
        if (!verdict.isAllowed()) {
            throw rejectExpired(realm, client, token, verdict, userSession);
        }
        if (realm.isRevokeRefreshToken()) {
            trustVerdictInKeycloakReuseCheck(token, clientSession);
        }
        session.setAttribute(PendingRefresh.ATTRIBUTE, new PendingRefresh(config, token.getId(), presented, state, verdict, now));
    }

    /**
     * @return the token when it is a signed refresh or offline token issued to this client, expired ones
     *         included: a rotated token expires with its chain, and the chain's expiry gets its own answer
     */
    private RefreshToken decodeOwnRefreshToken(String encoded, ClientModel client) {
        if (encoded == null) {
            return null;
        }
        RefreshToken token = session.tokens().decode(encoded, RefreshToken.class);
        boolean usable = token != null
                && (TokenUtil.TOKEN_TYPE_REFRESH.equals(token.getType()) || TokenUtil.TOKEN_TYPE_OFFLINE.equals(token.getType()))
                && token.getSessionId() != null
                && client.getClientId().equals(token.getIssuedFor());
        return usable ? token : null;
    }

    /**
     * With the realm's own rotation also on, Keycloak would judge the same token again by issue time
     * (and detach the client on a reuse this policy allows); point its bookkeeping at the presented
     * token so the verdict of this policy stands.
     */
    private static void trustVerdictInKeycloakReuseCheck(RefreshToken token, AuthenticatedClientSessionModel clientSession) {
        Object reuseId = token.getOtherClaims().get(Constants.REUSE_ID);
        String key = reuseId == null ? "" : reuseId.toString();
        clientSession.setRefreshToken(key, token.getId());
        clientSession.setRefreshTokenUseCount(key, 0);
    }

    private ClientPolicyException revokeOnReuse(RealmModel realm, ClientModel client, RefreshToken token, ChainPosition presented,
                                                FamilyState state, Verdict verdict, UserSessionModel userSession,
                                                AuthenticatedClientSessionModel clientSession) {
        boolean wholeFamily = config.breachScope() == RotatingRefreshTokenConfig.BreachScope.FAMILY;
        EventBuilder event = refreshError(realm, client, token, userSession)
                .detail(Details.REASON, REASON_REUSE)
                .detail("reuse", verdict.name().toLowerCase(Locale.ROOT))
                .detail("family_revoked", Boolean.toString(wholeFamily))
                .detail("on_breach", config.breachScope().configValue())
                .detail("token_generation", Integer.toString(presented.generation()))
                .detail("current_generation", Integer.toString(state.generation()));
        LOG.warnf("Refresh token reuse (%s) in realm %s, client %s, session %s: revoking the %s",
                verdict, realm.getName(), client.getClientId(), userSession.getId(), wholeFamily ? "user session" : "client session");
        if (wholeFamily) {
            revokeUserSession(realm, userSession);
        } else {
            clientSession.detachFromUserSession();
        }
        event.error(OAuthErrorException.INVALID_GRANT);
        return new ClientPolicyException(OAuthErrorException.INVALID_GRANT,
                "Refresh token reuse detected: the token was already rotated; " + revokedWhat(wholeFamily, userSession.isOffline()),
                Response.Status.BAD_REQUEST);
    }

    /** Says exactly what a breach revoked: an online login's offline session is a session of its own and stays. */
    static String revokedWhat(boolean wholeFamily, boolean offline) {
        if (!wholeFamily) {
            return "this client's session has been revoked";
        }
        return offline
                ? "this offline session has been revoked for every client"
                : "this login's session has been revoked for every client (offline tokens of the login are separate and stay valid)";
    }

    private void revokeUserSession(RealmModel realm, UserSessionModel userSession) {
        if (userSession.isOffline()) {
            new UserSessionManager(session).revokeOfflineUserSession(userSession);
        } else {
            KeycloakContext context = session.getContext();
            AuthenticationManager.backchannelLogout(session, realm, userSession, context.getUri(), context.getConnection(),
                    context.getRequestHeaders(), true);
        }
    }

    private ClientPolicyException rejectExpired(RealmModel realm, ClientModel client, RefreshToken token, Verdict verdict,
                                                UserSessionModel userSession) {
        String limit = verdict == Verdict.ABSOLUTE_LIFETIME_EXCEEDED ? "absolute" : "idle";
        refreshError(realm, client, token, userSession)
                .detail(Details.REASON, REASON_EXPIRED)
                .detail("lifetime", limit)
                .detail("family_revoked", "false")
                .error(OAuthErrorException.INVALID_GRANT);
        FamilyExpiry.mark(session);
        return new ClientPolicyException(OAuthErrorException.INVALID_GRANT,
                FAMILY_EXPIRED + ": its " + limit + " lifetime is over; sign in again", Response.Status.BAD_REQUEST);
    }

    private EventBuilder refreshError(RealmModel realm, ClientModel client, RefreshToken token, UserSessionModel userSession) {
        return new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.REFRESH_TOKEN_ERROR)
                .client(client)
                .user(userSession.getUser())
                .session(userSession.getId())
                .detail(Details.REFRESH_TOKEN_ID, token.getId())
                .detail(Details.REFRESH_TOKEN_TYPE, token.getType());
    }
}

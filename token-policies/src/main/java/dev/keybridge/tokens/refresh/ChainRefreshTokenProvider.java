package dev.keybridge.tokens.refresh;

import org.keycloak.OAuthErrorException;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.refresh.DefaultRefreshTokenProvider;
import org.keycloak.protocol.oidc.refresh.InitialRefreshTokenContext;
import org.keycloak.protocol.oidc.refresh.RefreshTokenContext;
import org.keycloak.protocol.oidc.refresh.RefreshTokenProvider;
import org.keycloak.representations.RefreshToken;

/**
 * Takes over the refreshes the {@code rotating-refresh-token} executor has judged: Keycloak's default
 * provider validates and builds the response, then this stamps the new token's chain position and
 * lifetime cap and records the chain's state in the client session. Client policies cannot do this
 * part, as the usual conditions (client roles, attributes) abstain on TOKEN_REFRESH_RESPONSE.
 */
public class ChainRefreshTokenProvider implements RefreshTokenProvider {

    private final KeycloakSession session;

    public ChainRefreshTokenProvider(KeycloakSession session) {
        this.session = session;
    }

    /** Initial tokens stay Keycloak's: a root token's own id names its chain. */
    @Override
    public boolean supports(InitialRefreshTokenContext initialRefreshTokenCtx) {
        return false;
    }

    @Override
    public RefreshToken generateRefreshToken(InitialRefreshTokenContext initialRefreshTokenCtx) {
        throw new IllegalStateException("supports(InitialRefreshTokenContext) is false: Keycloak never asks this provider for an initial token");
    }

    @Override
    public boolean supports(RefreshTokenContext ctx) {
        PendingRefresh pending = session.getAttribute(PendingRefresh.ATTRIBUTE, PendingRefresh.class);
        return pending != null && pending.presentedTokenId().equals(ctx.oldRefreshToken().getId());
    }

    @Override
    public TokenManager.AccessTokenResponseBuilder refreshAccessToken(RefreshTokenContext ctx) throws OAuthErrorException {
        PendingRefresh pending = session.getAttribute(PendingRefresh.ATTRIBUTE, PendingRefresh.class);
        TokenManager.AccessTokenResponseBuilder response = new DefaultRefreshTokenProvider(session).refreshAccessToken(ctx);
        session.removeAttribute(PendingRefresh.ATTRIBUTE);

        if (!pending.config().isRotate()) {
            // No rotation: the client keeps using the token it has (RFC 6749 section 6 allows omitting it).
            response.removeRefreshToken();
        } else if (response.getRefreshToken() != null) {
            pending.applyTo(response.getRefreshToken());
        }
        AuthenticatedClientSessionModel clientSession = response.getClientSessionCtx().getClientSession();
        clientSession.setNote(FamilyState.noteKey(pending.presented().chainId()), pending.stateAfter().toNote());
        return response;
    }
}

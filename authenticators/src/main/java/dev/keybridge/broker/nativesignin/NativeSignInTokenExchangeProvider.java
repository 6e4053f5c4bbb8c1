package dev.keybridge.broker.nativesignin;

import java.util.Set;

import dev.keybridge.broker.facebook.FacebookSignIn;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.CorsErrorResponseException;

/**
 * Takes the RFC 8693 requests Keycloak's standard exchange refuses: an external ID token
 * ({@code subject_token_type=...:id_token}) whose {@code subject_issuer} is an Apple, Google, Microsoft or
 * Facebook IdP alias, or a classic Facebook access token ({@code ...:access_token}) of a Facebook IdP. Everything
 * else is left to the other exchange providers.
 */
public class NativeSignInTokenExchangeProvider implements TokenExchangeProvider {

    /** What native sign-in issues: a token response with access and refresh token, so either type may be asked for. */
    private static final Set<String> ISSUABLE_TOKEN_TYPES = Set.of(OAuth2Constants.ACCESS_TOKEN_TYPE, OAuth2Constants.REFRESH_TOKEN_TYPE);

    private final KeycloakSession session;

    public NativeSignInTokenExchangeProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public boolean supports(TokenExchangeContext context) {
        TokenExchangeContext.Params params = context.getParams();
        String alias = params.getSubjectIssuer();
        if (alias == null) {
            return false;
        }
        IdentityProviderModel idp = session.identityProviders().getByAlias(alias);
        return OAuth2Constants.ID_TOKEN_TYPE.equals(params.getSubjectTokenType()) && ProviderSettings.supports(idp)
                || OAuth2Constants.ACCESS_TOKEN_TYPE.equals(params.getSubjectTokenType()) && FacebookSignIn.handles(idp);
    }

    @Override
    public Response exchange(TokenExchangeContext context) {
        OIDCAdvancedConfigWrapper clientConfig = OIDCAdvancedConfigWrapper.fromClientModel(context.getClient());
        String issuedTokenType = issuedTokenType(context, clientConfig);
        OAuth2GrantType.Context grantContext = new OAuth2GrantType.Context(session, clientConfig, context.getClientAuthAttributes(),
                context.getFormParams(), context.getEvent(), context.getCors(), context.getTokenManager());
        Response response = new NativeSignInGrantType(EventType.TOKEN_EXCHANGE).process(grantContext);
        // RFC 8693 section 2.2.1: the exchange response names the type of the token it issued
        if (response.getEntity() instanceof AccessTokenResponse tokens) {
            tokens.setOtherClaims(OAuth2Constants.ISSUED_TOKEN_TYPE, issuedTokenType);
        }
        return response;
    }

    /** The requested_token_type (default: access token), refused before any user is looked up when it can't be issued. */
    private static String issuedTokenType(TokenExchangeContext context, OIDCAdvancedConfigWrapper clientConfig) {
        String requested = context.getParams().getRequestedTokenType();
        String issued = requested == null || requested.isBlank() ? OAuth2Constants.ACCESS_TOKEN_TYPE : requested;
        String problem = null;
        if (!ISSUABLE_TOKEN_TYPES.contains(issued)) {
            problem = "requested_token_type '" + requested + "' is not supported by native sign-in (access_token or refresh_token)";
        } else if (OAuth2Constants.REFRESH_TOKEN_TYPE.equals(issued) && !clientConfig.isUseRefreshToken()) {
            problem = "requested_token_type refresh_token: client '" + context.getClient().getClientId() + "' does not use refresh tokens";
        }
        if (problem != null) {
            context.getEvent().detail(Details.REQUESTED_TOKEN_TYPE, requested).detail(Details.REASON, problem).error(Errors.INVALID_REQUEST);
            throw new CorsErrorResponseException(context.getCors(), OAuthErrorException.INVALID_REQUEST, problem, Response.Status.BAD_REQUEST);
        }
        return issued;
    }

    @Override
    public void close() {
    }
}

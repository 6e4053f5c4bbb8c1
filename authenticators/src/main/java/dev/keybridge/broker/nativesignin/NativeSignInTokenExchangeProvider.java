package dev.keybridge.broker.nativesignin;

import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;

/**
 * Takes the RFC 8693 requests Keycloak's standard exchange refuses: an external ID token
 * ({@code subject_token_type=...:id_token}) whose {@code subject_issuer} is an Apple or Google
 * IdP alias. Everything else is left to the other exchange providers.
 */
public class NativeSignInTokenExchangeProvider implements TokenExchangeProvider {

    private final KeycloakSession session;

    public NativeSignInTokenExchangeProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public boolean supports(TokenExchangeContext context) {
        TokenExchangeContext.Params params = context.getParams();
        String alias = params.getSubjectIssuer();
        return OAuth2Constants.ID_TOKEN_TYPE.equals(params.getSubjectTokenType()) && alias != null
                && ProviderSettings.supports(session.identityProviders().getByAlias(alias));
    }

    @Override
    public Response exchange(TokenExchangeContext context) {
        OAuth2GrantType.Context grantContext = new OAuth2GrantType.Context(session,
                OIDCAdvancedConfigWrapper.fromClientModel(context.getClient()), context.getClientAuthAttributes(),
                context.getFormParams(), context.getEvent(), context.getCors(), context.getTokenManager());
        return new NativeSignInGrantType(EventType.TOKEN_EXCHANGE).process(grantContext);
    }

    @Override
    public void close() {
    }
}

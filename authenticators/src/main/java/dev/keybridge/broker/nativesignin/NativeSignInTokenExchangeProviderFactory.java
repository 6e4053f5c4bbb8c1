package dev.keybridge.broker.nativesignin;

import com.google.auto.service.AutoService;
import dev.keybridge.broker.NoLifecycleProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.protocol.oidc.TokenExchangeProviderFactory;

/** Native sign-in through the standard token endpoint's RFC 8693 token exchange. */
@AutoService(TokenExchangeProviderFactory.class)
public class NativeSignInTokenExchangeProviderFactory implements TokenExchangeProviderFactory,
        NoLifecycleProviderFactory<TokenExchangeProvider> {

    public static final String PROVIDER_ID = "keybridge-native-sign-in";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    /** Ahead of Keycloak's standard (10) and V1 exchange, which would refuse or mishandle ID tokens. */
    @Override
    public int order() {
        return 20;
    }

    @Override
    public TokenExchangeProvider create(KeycloakSession session) {
        return new NativeSignInTokenExchangeProvider(session);
    }
}

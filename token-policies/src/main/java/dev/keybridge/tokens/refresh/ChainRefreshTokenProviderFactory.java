package dev.keybridge.tokens.refresh;

import com.google.auto.service.AutoService;
import dev.keybridge.tokens.NoLifecycleProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.refresh.RefreshTokenProvider;
import org.keycloak.protocol.oidc.refresh.RefreshTokenProviderFactory;

/** Registers {@link ChainRefreshTokenProvider} ahead of Keycloak's default provider (order 0). */
@AutoService(RefreshTokenProviderFactory.class)
public class ChainRefreshTokenProviderFactory implements RefreshTokenProviderFactory,
        NoLifecycleProviderFactory<RefreshTokenProvider> {

    public static final String PROVIDER_ID = "keybridge-rotating-refresh-token";

    @Override
    public RefreshTokenProvider create(KeycloakSession session) {
        return new ChainRefreshTokenProvider(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public int order() {
        return 100;
    }
}

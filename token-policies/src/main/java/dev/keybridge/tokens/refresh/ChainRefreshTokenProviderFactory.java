package dev.keybridge.tokens.refresh;

import com.google.auto.service.AutoService;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.refresh.RefreshTokenProvider;
import org.keycloak.protocol.oidc.refresh.RefreshTokenProviderFactory;

/** Registers {@link ChainRefreshTokenProvider} ahead of Keycloak's default provider (order 0). */
@AutoService(RefreshTokenProviderFactory.class)
public class ChainRefreshTokenProviderFactory implements RefreshTokenProviderFactory {

    public static final String PROVIDER_ID = "keybridge-rotating-refresh-token";

    @Override
    public RefreshTokenProvider create(KeycloakSession session) {
        return new ChainRefreshTokenProvider(session);
    }

    @Override
    public void init(Config.Scope config) {
        // nothing to configure: the settings live in the client profile's executor
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // no start-up work
    }

    @Override
    public void close() {
        // holds no resources
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

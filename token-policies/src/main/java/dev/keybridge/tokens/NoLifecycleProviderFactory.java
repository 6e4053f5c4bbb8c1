package dev.keybridge.tokens;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;

/**
 * A factory of this module with no server settings, no start-up work and no resources to free: its settings live
 * in realm configuration (client profiles, mappers), so Keycloak's lifecycle hooks have nothing to do.
 * Declared once here instead of as empty methods in every factory.
 */
public interface NoLifecycleProviderFactory<T extends Provider> extends ProviderFactory<T> {

    @Override
    default void init(Config.Scope config) {
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    default void close() {
    }
}

package dev.keybridge.rest.support;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * A realm resource whose settings are {@link RealmSettings}: server options of the provider, overridable per realm
 * by realm attributes prefixed with the provider id.
 */
public abstract class ConfiguredResourceProviderFactory implements RealmResourceProviderFactory {

    private final String providerId;
    private final String defaultClient;
    private RealmSettings settings;

    /** @param defaultClient clientId of the {@value RealmSettings#CLIENT} setting when neither server nor realm sets it */
    protected ConfiguredResourceProviderFactory(String providerId, String defaultClient) {
        this.providerId = providerId;
        this.defaultClient = defaultClient;
    }

    /** The JAX-RS resource serving one request. */
    protected abstract Object resource(KeycloakSession session, RealmSettings settings);

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        RealmSettings current = settings;
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return resource(session, current);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        settings = new RealmSettings(providerId, config, defaultClient);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public final String getId() {
        return providerId;
    }

    /** The config metadata, starting with the {@value RealmSettings#CLIENT} setting. */
    protected ProviderConfigurationBuilder configWithClient(String usage) {
        return ProviderConfigurationBuilder.create()
                .property()
                .name(RealmSettings.CLIENT)
                .type(ProviderConfigProperty.STRING_TYPE)
                .label("Client")
                .helpText("clientId of the client " + usage + " (it must allow direct access grants). Per realm: realm attribute "
                        + providerId + "." + RealmSettings.CLIENT + ".")
                .defaultValue(defaultClient)
                .add();
    }
}

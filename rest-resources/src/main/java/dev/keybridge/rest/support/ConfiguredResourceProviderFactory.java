package dev.keybridge.rest.support;

import java.util.List;
import java.util.function.BiFunction;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * A realm resource whose settings are {@link Setting}s read through {@link RealmSettings}: server options of the
 * provider, the per-realm ones overridable by realm attributes prefixed with the provider id. The same list gives the
 * console metadata; each request's resource gets them as the resource's typed settings record.
 *
 * @param <S> the resource's typed settings record
 */
public abstract class ConfiguredResourceProviderFactory<S> implements RealmResourceProviderFactory {

    private final String providerId;
    private final List<Setting> settingList;
    private final BiFunction<RealmSettings, RealmModel, S> reader;
    private final BiFunction<KeycloakSession, S, Object> resource;
    private RealmSettings settings;

    /**
     * @param reader   reads the typed settings of the request's realm
     * @param resource the JAX-RS resource serving one request
     */
    protected ConfiguredResourceProviderFactory(String providerId, List<Setting> settings, BiFunction<RealmSettings, RealmModel, S> reader,
                                                BiFunction<KeycloakSession, S, Object> resource) {
        this.providerId = providerId;
        this.settingList = settings;
        this.reader = reader;
        this.resource = resource;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        RealmSettings current = settings;
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return resource.apply(session, reader.apply(current, session.getContext().getRealm()));
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        settings = new RealmSettings(providerId, config);
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

    @Override
    public final List<ProviderConfigProperty> getConfigMetadata() {
        return Setting.metadata(providerId, settingList);
    }
}

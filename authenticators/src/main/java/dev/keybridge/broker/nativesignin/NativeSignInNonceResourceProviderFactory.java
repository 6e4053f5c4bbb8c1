package dev.keybridge.broker.nativesignin;

import java.time.Duration;
import java.util.List;

import com.google.auto.service.AutoService;
import dev.keybridge.broker.NoLifecycleProviderFactory;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Mounts the server-nonce endpoint at {@code /realms/{realm}/keybridge-native-sign-in}. */
@AutoService(RealmResourceProviderFactory.class)
public class NativeSignInNonceResourceProviderFactory implements RealmResourceProviderFactory,
        NoLifecycleProviderFactory<RealmResourceProvider> {

    public static final String PROVIDER_ID = "keybridge-native-sign-in";
    static final String NONCE_LIFETIME_SECONDS = "nonceLifetimeSeconds";
    static final long DEFAULT_NONCE_LIFETIME_SECONDS = 300;

    private Duration nonceLifetime = Duration.ofSeconds(DEFAULT_NONCE_LIFETIME_SECONDS);

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        NativeSignInNonceResource resource = new NativeSignInNonceResource(session, nonceLifetime);
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return resource;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        long seconds = config.getLong(NONCE_LIFETIME_SECONDS, DEFAULT_NONCE_LIFETIME_SECONDS);
        if (seconds <= 0) {
            throw new IllegalArgumentException(NONCE_LIFETIME_SECONDS + " of provider " + PROVIDER_ID + " must be positive, was " + seconds);
        }
        nonceLifetime = Duration.ofSeconds(seconds);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(NONCE_LIFETIME_SECONDS).label("Server nonce lifetime (seconds)")
                .helpText("How long a nonce from /realms/{realm}/" + PROVIDER_ID + "/nonce can be used for one native sign-in. "
                        + "Default " + DEFAULT_NONCE_LIFETIME_SECONDS + ".")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(String.valueOf(DEFAULT_NONCE_LIFETIME_SECONDS)).add()
                .build();
    }
}

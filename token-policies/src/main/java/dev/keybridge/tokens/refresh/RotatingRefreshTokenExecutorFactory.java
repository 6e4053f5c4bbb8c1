package dev.keybridge.tokens.refresh;

import java.util.List;

import com.google.auto.service.AutoService;
import dev.keybridge.tokens.NoLifecycleProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

/** Client-policy executor {@value #PROVIDER_ID}: per-client rotating refresh tokens with reuse detection. */
@AutoService(ClientPolicyExecutorProviderFactory.class)
public class RotatingRefreshTokenExecutorFactory implements ClientPolicyExecutorProviderFactory,
        NoLifecycleProviderFactory<ClientPolicyExecutorProvider> {

    public static final String PROVIDER_ID = "rotating-refresh-token";

    private static final List<ProviderConfigProperty> CONFIG_PROPERTIES = ProviderConfigurationBuilder.create()
            .property()
                .name(RotatingRefreshTokenConfig.ROTATE)
                .label("Rotate refresh tokens")
                .helpText("On: every refresh returns a new refresh token and the presented one is used up (reuse detection applies). "
                        + "Off: no new refresh token is returned; the client keeps its token, only the lifetimes below apply.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE)
                .defaultValue(true)
                .add()
            .property()
                .name(RotatingRefreshTokenConfig.REUSE_INTERVAL)
                .label("Reuse interval (seconds)")
                .helpText("Leeway after a rotation in which the immediately previous refresh token may be presented again "
                        + "(parallel refreshes, lost responses); it then returns a valid token pair of the same family. "
                        + "0 = any reuse is a breach.")
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(0)
                .add()
            .property()
                .name(RotatingRefreshTokenConfig.ON_BREACH)
                .label("On breach")
                .helpText("What a reuse (an older token, or the previous one after the interval) revokes. family: the login's "
                        + "whole user session, all its clients and all their tokens. client: only this client's session "
                        + "(Keycloak's own behaviour).")
                .type(ProviderConfigProperty.LIST_TYPE)
                .options(RotatingRefreshTokenConfig.BreachScope.FAMILY.configValue(),
                        RotatingRefreshTokenConfig.BreachScope.CLIENT.configValue())
                .defaultValue(RotatingRefreshTokenConfig.BreachScope.FAMILY.configValue())
                .add()
            .property()
                .name(RotatingRefreshTokenConfig.ABSOLUTE_LIFETIME)
                .label("Absolute lifetime (seconds)")
                .helpText("The token family ends this long after the login's first refresh token was issued, however often "
                        + "it is refreshed. 0 = only the realm's / client's session limits apply.")
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(0)
                .add()
            .property()
                .name(RotatingRefreshTokenConfig.IDLE_LIFETIME)
                .label("Idle lifetime (seconds)")
                .helpText("The token family ends when it was not refreshed for this long. 0 = only the realm's / client's "
                        + "session idle limits apply.")
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(0)
                .add()
            .build();

    @Override
    public ClientPolicyExecutorProvider<RotatingRefreshTokenConfig> create(KeycloakSession session) {
        return new RotatingRefreshTokenExecutor(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Rotating refresh tokens per client with a reuse interval and reuse detection: a reused refresh token "
                + "revokes the whole token family (the login's user session) and answers 400 invalid_grant. Optional "
                + "absolute and idle family lifetimes.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG_PROPERTIES;
    }
}

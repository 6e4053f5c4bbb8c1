package dev.keybridge.broker.apple;

import java.util.ArrayList;
import java.util.List;

import com.google.auto.service.AutoService;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import org.keycloak.broker.provider.AbstractIdentityProviderFactory;
import org.keycloak.broker.social.SocialIdentityProviderFactory;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** Keycloak has no Apple provider; this adds "Apple" to the social identity providers. */
@AutoService(SocialIdentityProviderFactory.class)
public class AppleIdentityProviderFactory extends AbstractIdentityProviderFactory<AppleIdentityProvider>
        implements SocialIdentityProviderFactory<AppleIdentityProvider> {

    public static final String PROVIDER_ID = "apple";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getName() {
        return "Apple";
    }

    @Override
    public AppleIdentityProvider create(KeycloakSession session, IdentityProviderModel model) {
        return new AppleIdentityProvider(session, new AppleIdentityProviderConfig(model));
    }

    @Override
    public AppleIdentityProviderConfig createConfig() {
        return new AppleIdentityProviderConfig();
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        List<ProviderConfigProperty> properties = new ArrayList<>(ProviderConfigurationBuilder.create()
                .property().name(AppleIdentityProviderConfig.TEAM_ID).label("Team ID")
                .helpText("Your Apple Developer Team ID (10 characters); the issuer of the client secret JWT. "
                        + "Client ID is the Services ID; Client Secret holds the .p8 private key (PEM text or a ${vault.…} reference).")
                .type(ProviderConfigProperty.STRING_TYPE).required(true).add()
                .property().name(AppleIdentityProviderConfig.KEY_ID).label("Key ID")
                .helpText("The ID of the 'Sign in with Apple' key whose .p8 file is in Client Secret.")
                .type(ProviderConfigProperty.STRING_TYPE).required(true).add()
                .property().name(AppleIdentityProviderConfig.BASE_URL).label("Apple base URL")
                .helpText("Where Apple's endpoints live (/auth/authorize, /auth/token, /auth/keys) and the expected token issuer "
                        + "(not the client secret's audience, see below). "
                        + "Leave the default except for tests against a local fake.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(AppleIdentityProviderConfig.DEFAULT_BASE_URL).add()
                .property().name(AppleIdentityProviderConfig.CLIENT_SECRET_AUDIENCE).label("Client secret audience")
                .helpText("The aud of the client secret JWT sent to Apple's token endpoint. Apple accepts only "
                        + AppleIdentityProviderConfig.DEFAULT_CLIENT_SECRET_AUDIENCE + ", also when the base URL points at a proxy; "
                        + "change it only for a stand-in that expects another value.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(AppleIdentityProviderConfig.DEFAULT_CLIENT_SECRET_AUDIENCE).add()
                .build());
        properties.addAll(NativeSignInSettings.configProperties());
        return properties;
    }
}

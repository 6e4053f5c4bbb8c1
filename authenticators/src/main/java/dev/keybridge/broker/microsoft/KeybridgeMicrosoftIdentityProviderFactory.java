package dev.keybridge.broker.microsoft;

import java.util.ArrayList;
import java.util.List;

import com.google.auto.service.AutoService;
import dev.keybridge.broker.BuiltInSocialProviderReplacement;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import org.keycloak.broker.social.SocialIdentityProviderFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.social.microsoft.MicrosoftIdentityProvider;
import org.keycloak.social.microsoft.MicrosoftIdentityProviderFactory;

/**
 * Keycloak's Microsoft provider, unchanged for browser login, with the native sign-in settings and Microsoft's
 * tenant settings (allowed tenants, issuer template) added to its admin-console page. Same id "microsoft": Keycloak
 * prefers a deployed factory over its built-in one. Microsoft's issuer depends on the token's tenant, so the shared
 * "Issuer override" is replaced by the issuer template here.
 */
@AutoService(SocialIdentityProviderFactory.class)
public class KeybridgeMicrosoftIdentityProviderFactory extends MicrosoftIdentityProviderFactory
        implements BuiltInSocialProviderReplacement<MicrosoftIdentityProvider> {

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        List<ProviderConfigProperty> properties = new ArrayList<>(super.getConfigProperties());
        properties.addAll(MicrosoftTenants.configProperties());
        NativeSignInSettings.configProperties().stream()
                .filter(p -> !NativeSignInSettings.ISSUER_OVERRIDE.equals(p.getName()))
                .forEach(properties::add);
        return properties;
    }
}

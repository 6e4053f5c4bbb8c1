package dev.keybridge.broker.facebook;

import java.util.List;

import com.google.auto.service.AutoService;
import dev.keybridge.broker.BuiltInSocialProviderReplacement;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import org.keycloak.broker.social.SocialIdentityProviderFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.social.facebook.FacebookIdentityProvider;
import org.keycloak.social.facebook.FacebookIdentityProviderFactory;

/**
 * Keycloak's Facebook provider, unchanged for browser login, with the native sign-in settings and Facebook's own
 * (Graph API URL and timeout, whether Facebook's email counts as verified) added to its admin-console page.
 * Same id "facebook": Keycloak prefers a deployed factory over its built-in one.
 */
@AutoService(SocialIdentityProviderFactory.class)
public class KeybridgeFacebookIdentityProviderFactory extends FacebookIdentityProviderFactory
        implements BuiltInSocialProviderReplacement<FacebookIdentityProvider> {

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return NativeSignInSettings.withNativeSignIn(super.getConfigProperties(), FacebookSettings.configProperties());
    }
}

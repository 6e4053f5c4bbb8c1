package dev.keybridge.broker.google;

import java.util.List;

import com.google.auto.service.AutoService;
import dev.keybridge.broker.BuiltInSocialProviderReplacement;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import org.keycloak.broker.social.SocialIdentityProviderFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.social.google.GoogleIdentityProvider;
import org.keycloak.social.google.GoogleIdentityProviderFactory;

/**
 * Keycloak's Google provider, unchanged for browser login, with the native sign-in settings
 * (allowed audiences, sign-in only, link by verified email, …) added to its admin-console page.
 * Same id "google": Keycloak prefers a deployed factory over its built-in one.
 */
@AutoService(SocialIdentityProviderFactory.class)
public class KeybridgeGoogleIdentityProviderFactory extends GoogleIdentityProviderFactory
        implements BuiltInSocialProviderReplacement<GoogleIdentityProvider> {

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return NativeSignInSettings.withNativeSignIn(super.getConfigProperties(), List.of());
    }
}

package dev.keybridge.broker;

import org.keycloak.broker.social.SocialIdentityProvider;
import org.keycloak.broker.social.SocialIdentityProviderFactory;

/**
 * A factory that takes the id of one of Keycloak's built-in social identity providers ("google", "facebook",
 * "microsoft") to add the native sign-in settings to it. Keycloak keeps, of two factories with one id, the one of
 * higher order; the built-in ones have order 0.
 */
public interface BuiltInSocialProviderReplacement<P extends SocialIdentityProvider> extends SocialIdentityProviderFactory<P> {

    @Override
    default int order() {
        return 10;
    }
}

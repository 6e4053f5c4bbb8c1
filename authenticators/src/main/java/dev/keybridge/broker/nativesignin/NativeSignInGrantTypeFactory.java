package dev.keybridge.broker.nativesignin;

import com.google.auto.service.AutoService;
import dev.keybridge.broker.NoLifecycleProviderFactory;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

/** Registers native sign-in as a grant type of its own, for clients that don't speak token exchange. */
@AutoService(OAuth2GrantTypeFactory.class)
public class NativeSignInGrantTypeFactory implements OAuth2GrantTypeFactory,
        NoLifecycleProviderFactory<OAuth2GrantType> {

    public static final String PROVIDER_ID = "urn:keybridge:params:oauth:grant-type:id-token";
    /** Embedded in token ids; two characters, distinct from Keycloak's own grant shortcuts. */
    public static final String SHORTCUT = "kn";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getShortcut() {
        return SHORTCUT;
    }

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new NativeSignInGrantType(EventType.LOGIN);
    }
}

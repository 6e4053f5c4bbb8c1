package dev.keybridge.rest.timelapseme;

import java.util.List;

import com.google.auto.service.AutoService;
import dev.keybridge.rest.support.ConfiguredResourceProviderFactory;
import dev.keybridge.rest.support.RealmSettings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The TimeLapseMe auth server's API as the realm resource {@code /realms/{realm}/timelapseme}. */
@AutoService(RealmResourceProviderFactory.class)
public class TimeLapseMeResourceProviderFactory extends ConfiguredResourceProviderFactory {

    public static final String PROVIDER_ID = "timelapseme";
    static final String NICKNAME_ATTRIBUTE = "nickname-attribute";
    static final String DEFAULT_NICKNAME_ATTRIBUTE = "nickname";

    public TimeLapseMeResourceProviderFactory() {
        super(PROVIDER_ID, PROVIDER_ID);
    }

    @Override
    protected Object resource(KeycloakSession session, RealmSettings settings) {
        return new TimeLapseMeResource(session, settings);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return configWithClient("the app's tokens are issued for")
                .property()
                .name(NICKNAME_ATTRIBUTE)
                .type(ProviderConfigProperty.STRING_TYPE)
                .label("Nickname attribute")
                .helpText("User attribute that sign-up stores the nickname in (map it into the token with a user-attribute "
                        + "mapper, claim nickname). Per realm: realm attribute timelapseme.nickname-attribute.")
                .defaultValue(DEFAULT_NICKNAME_ATTRIBUTE)
                .add()
                .build();
    }
}

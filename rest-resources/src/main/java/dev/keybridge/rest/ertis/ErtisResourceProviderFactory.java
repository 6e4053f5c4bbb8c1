package dev.keybridge.rest.ertis;

import java.util.List;

import com.google.auto.service.AutoService;
import dev.keybridge.rest.support.ConfiguredResourceProviderFactory;
import dev.keybridge.rest.support.RealmSettings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The ErtisAuth token API as the realm resource {@code /realms/{realm}/ertis}. */
@AutoService(RealmResourceProviderFactory.class)
public class ErtisResourceProviderFactory extends ConfiguredResourceProviderFactory {

    public static final String PROVIDER_ID = "ertis";
    static final String ROLE_ATTRIBUTE = "role-attribute";
    static final String DEFAULT_ROLE_ATTRIBUTE = "role";

    public ErtisResourceProviderFactory() {
        super(PROVIDER_ID, PROVIDER_ID);
    }

    @Override
    protected Object resource(KeycloakSession session, RealmSettings settings) {
        return new ErtisResource(session, settings);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return configWithClient("generate-token issues tokens for; Bearer tokens are accepted when issued for it or carrying it as audience")
                .property()
                .name(ROLE_ATTRIBUTE)
                .type(ProviderConfigProperty.STRING_TYPE)
                .label("Role attribute")
                .helpText("User attribute (for applications: client attribute) that me and whoami report as ErtisAuth's single "
                        + "role. Per realm: realm attribute ertis.role-attribute.")
                .defaultValue(DEFAULT_ROLE_ATTRIBUTE)
                .add()
                .build();
    }
}

package dev.keybridge.rest.ertis;

import com.google.auto.service.AutoService;
import dev.keybridge.rest.support.ConfiguredResourceProviderFactory;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The ErtisAuth token API as the realm resource {@code /realms/{realm}/ertis}. */
@AutoService(RealmResourceProviderFactory.class)
public class ErtisResourceProviderFactory extends ConfiguredResourceProviderFactory<ErtisSettings> {

    public static final String PROVIDER_ID = "ertis";

    public ErtisResourceProviderFactory() {
        super(PROVIDER_ID, ErtisSettings.ALL, ErtisSettings::forRealm, ErtisResource::new);
    }
}

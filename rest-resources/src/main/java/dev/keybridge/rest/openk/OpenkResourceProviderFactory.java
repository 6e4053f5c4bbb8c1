package dev.keybridge.rest.openk;

import com.google.auto.service.AutoService;
import dev.keybridge.rest.support.ConfiguredResourceProviderFactory;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The openK authAndAuth API as the realm resource {@code /realms/{realm}/openk}. */
@AutoService(RealmResourceProviderFactory.class)
public class OpenkResourceProviderFactory extends ConfiguredResourceProviderFactory<OpenkSettings> {

    public static final String PROVIDER_ID = "openk";

    public OpenkResourceProviderFactory() {
        super(PROVIDER_ID, OpenkSettings.ALL, OpenkSettings::forRealm, OpenkResource::new);
    }
}

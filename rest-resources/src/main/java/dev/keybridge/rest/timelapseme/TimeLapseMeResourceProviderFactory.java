package dev.keybridge.rest.timelapseme;

import com.google.auto.service.AutoService;
import dev.keybridge.rest.support.ConfiguredResourceProviderFactory;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The TimeLapseMe auth server's API as the realm resource {@code /realms/{realm}/timelapseme}. */
@AutoService(RealmResourceProviderFactory.class)
public class TimeLapseMeResourceProviderFactory extends ConfiguredResourceProviderFactory<TimeLapseMeSettings> {

    public static final String PROVIDER_ID = "timelapseme";

    public TimeLapseMeResourceProviderFactory() {
        super(PROVIDER_ID, TimeLapseMeSettings.ALL, TimeLapseMeSettings::forRealm, TimeLapseMeResource::new);
    }
}

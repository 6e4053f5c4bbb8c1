package dev.keybridge.rest.watcherex;

import com.google.auto.service.AutoService;
import dev.keybridge.rest.support.ConfiguredResourceProviderFactory;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The WatcherEx API as the realm resource {@code /realms/{realm}/watcherex}. */
@AutoService(RealmResourceProviderFactory.class)
public class WatcherExResourceProviderFactory extends ConfiguredResourceProviderFactory<WatcherExSettings> {

    public static final String PROVIDER_ID = "watcherex";

    public WatcherExResourceProviderFactory() {
        super(PROVIDER_ID, WatcherExSettings.ALL, WatcherExSettings::forRealm, WatcherExResource::new);
    }
}

package dev.keybridge.rest.tapis;

import com.google.auto.service.AutoService;
import dev.keybridge.rest.support.ConfiguredResourceProviderFactory;
import dev.keybridge.rest.support.RealmSettings;
import org.keycloak.Config;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The Tapis v3 Tokens API under {@code /realms/{realm}/tapis/v3/tokens}, with the server-wide {@link TapisSettings}. */
@AutoService(RealmResourceProviderFactory.class)
public class TapisTokensResourceProviderFactory extends ConfiguredResourceProviderFactory<TapisSettings> {

    public static final String PROVIDER_ID = "tapis";

    public TapisTokensResourceProviderFactory() {
        super(PROVIDER_ID, TapisSettings.ALL, (settings, realm) -> TapisSettings.fromServer(settings), TapisTokensResource::new);
    }

    /** A malformed number stops the server at start-up rather than failing every request. */
    @Override
    public void init(Config.Scope config) {
        super.init(config);
        TapisSettings.fromServer(new RealmSettings(PROVIDER_ID, config));
    }
}

package dev.keybridge.rest.tapis;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

final class TapisTokensResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;
    private final TapisTokensResourceProviderFactory.TapisTokensSettings settings;

    TapisTokensResourceProvider(KeycloakSession session, TapisTokensResourceProviderFactory.TapisTokensSettings settings) {
        this.session = session;
        this.settings = settings;
    }

    @Override
    public Object getResource() {
        return new TapisTokensResource(session, settings);
    }

    @Override
    public void close() {
    }
}

package dev.keybridge.rest.support;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A compatibility resource serving one request in the current realm, with its typed settings record.
 *
 * @param <S> the resource's settings, read for this realm
 */
public abstract class ConfiguredResource<S> {

    protected final KeycloakSession session;
    protected final RealmModel realm;
    protected final S settings;

    protected ConfiguredResource(KeycloakSession session, S settings) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.settings = settings;
    }
}

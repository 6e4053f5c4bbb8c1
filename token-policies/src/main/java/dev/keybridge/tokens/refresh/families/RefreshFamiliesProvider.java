package dev.keybridge.tokens.refresh.families;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Hands each admin request its {@link RefreshFamiliesResource}, with the caller's permission evaluator. */
public class RefreshFamiliesProvider implements AdminRealmResourceProvider {

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new RefreshFamiliesResource(session, realm, auth, adminEvent);
    }

    @Override
    public void close() {
        // holds no resources
    }
}

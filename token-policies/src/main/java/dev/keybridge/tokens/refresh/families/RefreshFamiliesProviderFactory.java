package dev.keybridge.tokens.refresh.families;

import com.google.auto.service.AutoService;
import dev.keybridge.tokens.NoLifecycleProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/**
 * Admin REST extension {@value #PROVIDER_ID}: a user's refresh-token families under the {@code rotating-refresh-token}
 * policy, at {@code /admin/realms/{realm}/refresh-token-families}, with the admin API's own permissions.
 */
@AutoService(AdminRealmResourceProviderFactory.class)
public class RefreshFamiliesProviderFactory implements AdminRealmResourceProviderFactory,
        NoLifecycleProviderFactory<AdminRealmResourceProvider> {

    public static final String PROVIDER_ID = "refresh-token-families";

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return new RefreshFamiliesProvider();
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}

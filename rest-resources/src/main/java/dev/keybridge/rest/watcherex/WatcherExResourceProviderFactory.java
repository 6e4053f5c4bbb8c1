package dev.keybridge.rest.watcherex;

import java.util.List;

import com.google.auto.service.AutoService;
import dev.keybridge.rest.support.AcceptedClients;
import dev.keybridge.rest.support.ConfiguredResourceProviderFactory;
import dev.keybridge.rest.support.RealmSettings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The WatcherEx API as the realm resource {@code /realms/{realm}/watcherex}. */
@AutoService(RealmResourceProviderFactory.class)
public class WatcherExResourceProviderFactory extends ConfiguredResourceProviderFactory {

    public static final String PROVIDER_ID = "watcherex";
    static final String ADMIN_ROLE = "admin-role";
    static final String DEFAULT_ADMIN_ROLE = "watcherex-admin";
    static final String ASSERTION_AUDIENCE = "assertion-audience";
    static final String GRANTABLE_ROLES = "grantable-roles";
    /** The audience WatcherEx required of client assertions (its ClientAssertion token config). */
    static final String DEFAULT_ASSERTION_AUDIENCE = "WatcherEx";

    public WatcherExResourceProviderFactory() {
        super(PROVIDER_ID, PROVIDER_ID);
    }

    @Override
    protected Object resource(KeycloakSession session, RealmSettings settings) {
        return new WatcherExResource(session, settings);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return configWithClient("that token requests without client_id (refresh_token grant with a token lacking azp) act for")
                .property()
                .name(ADMIN_ROLE)
                .type(ProviderConfigProperty.STRING_TYPE)
                .label("Admin role")
                .helpText("Role (realm role, or clientId/role) that stands for WatcherEx's is_admin: required by the /admin/v1 "
                        + "routes. Per realm: realm attribute watcherex.admin-role.")
                .defaultValue(DEFAULT_ADMIN_ROLE)
                .add()
                .property()
                .name(ASSERTION_AUDIENCE)
                .type(ProviderConfigProperty.STRING_TYPE)
                .label("Client assertion audience")
                .helpText("Audience (aud) that client_assertion JWTs of WatcherEx's clients carry instead of Keycloak's issuer or "
                        + "token endpoint; accepted besides those, with every other check of Keycloak's Signed JWT client "
                        + "authentication. Per realm: realm attribute watcherex.assertion-audience.")
                .defaultValue(DEFAULT_ASSERTION_AUDIENCE)
                .add()
                .property()
                .name(AcceptedClients.SETTING)
                .type(ProviderConfigProperty.STRING_TYPE)
                .label("Accepted clients")
                .helpText("Comma-separated clientIds whose access tokens the /admin/v1 routes accept besides the Client setting's; "
                        + "a token issued to any other client of the realm is refused (403 unauthenticated). Empty: that client only. "
                        + "Per realm: realm attribute watcherex.accepted-clients.")
                .defaultValue("")
                .add()
                .property()
                .name(GRANTABLE_ROLES)
                .type(ProviderConfigProperty.STRING_TYPE)
                .label("Grantable roles")
                .helpText("Comma-separated roles (realm role, or clientId/role) that POST /admin/v1/users may grant as scopes; the "
                        + "caller must also hold Keycloak's admin permissions to manage users and map each role. Empty: every role "
                        + "except the realm-management and broker client roles and composites containing one of them. Per realm: "
                        + "realm attribute watcherex.grantable-roles.")
                .defaultValue("")
                .add()
                .build();
    }
}

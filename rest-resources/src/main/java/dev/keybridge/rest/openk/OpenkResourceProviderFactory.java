package dev.keybridge.rest.openk;

import java.util.List;

import com.google.auto.service.AutoService;
import dev.keybridge.rest.support.AcceptedClients;
import dev.keybridge.rest.support.ConfiguredResourceProviderFactory;
import dev.keybridge.rest.support.RealmSettings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The openK authAndAuth API as the realm resource {@code /realms/{realm}/openk}. */
@AutoService(RealmResourceProviderFactory.class)
public class OpenkResourceProviderFactory extends ConfiguredResourceProviderFactory {

    public static final String PROVIDER_ID = "openk";

    public OpenkResourceProviderFactory() {
        super(PROVIDER_ID, OpenkSettings.DEFAULT_LOGIN_CLIENT);
    }

    @Override
    protected Object resource(KeycloakSession session, RealmSettings settings) {
        return new OpenkResource(session, OpenkSettings.forRealm(settings, session.getContext().getRealm()));
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property()
                .name(OpenkSettings.ACCESS_ROLE)
                .type(ProviderConfigProperty.STRING_TYPE)
                .label("usersForRole access role")
                .helpText("Role (realm role, or clientId/role) whose holders may call usersForRole besides holders of "
                        + "realm-management/view-users. Empty: view-users only. Per realm: realm attribute openk.access-role.")
                .defaultValue("")
                .add()
                .property()
                .name(OpenkSettings.LOGIN_CLIENT)
                .type(ProviderConfigProperty.STRING_TYPE)
                .label("Login client")
                .helpText("clientId of the client whose direct-access grant /login runs (it must allow direct access "
                        + "grants). Per realm: realm attribute openk.login-client.")
                .defaultValue(OpenkSettings.DEFAULT_LOGIN_CLIENT)
                .add()
                .property()
                .name(AcceptedClients.SETTING)
                .type(ProviderConfigProperty.STRING_TYPE)
                .label("Accepted clients")
                .helpText("Comma-separated clientIds whose access tokens usersForRole and userModulesForUser accept besides the "
                        + "login client's; a token issued to any other client of the realm is refused (401 invalid_token). Empty: "
                        + "the login client only. Per realm: realm attribute openk.accepted-clients.")
                .defaultValue("")
                .add()
                .build();
    }
}

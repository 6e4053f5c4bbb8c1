package dev.keybridge.rest.tapis;

import java.util.List;

import com.google.auto.service.AutoService;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * The Tapis v3 Tokens API under {@code /realms/{realm}/tapis/v3/tokens}. Server-wide options:
 * {@code --spi-realm-restapi-extension--tapis--generator-role}, {@code ...--max-body-bytes} and
 * {@code ...--max-session-notes-bytes}.
 */
@AutoService(RealmResourceProviderFactory.class)
public class TapisTokensResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String PROVIDER_ID = "tapis";

    static final String GENERATOR_ROLE = "generator-role";
    static final String DEFAULT_GENERATOR_ROLE = "tapis-token-generator";
    static final String MAX_BODY_BYTES = "max-body-bytes";
    static final int DEFAULT_MAX_BODY_BYTES = 65536;
    static final String MAX_SESSION_NOTES_BYTES = "max-session-notes-bytes";
    static final int DEFAULT_MAX_SESSION_NOTES_BYTES = 4096;

    private TapisTokensSettings settings;

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new TapisTokensResourceProvider(session, settings);
    }

    @Override
    public void init(Config.Scope config) {
        settings = new TapisTokensSettings(
                config.get(GENERATOR_ROLE, DEFAULT_GENERATOR_ROLE),
                config.getInt(MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
                config.getInt(MAX_SESSION_NOTES_BYTES, DEFAULT_MAX_SESSION_NOTES_BYTES));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(GENERATOR_ROLE).type(ProviderConfigProperty.STRING_TYPE)
                .label("Token generator role")
                .helpText("Role the caller's service account needs to mint tokens for any subject other than itself, "
                        + "or delegation tokens. A realm role name, or 'client-id.role' for a client role.")
                .defaultValue(DEFAULT_GENERATOR_ROLE).add()
                .property().name(MAX_BODY_BYTES).type(ProviderConfigProperty.INTEGER_TYPE)
                .label("Maximum request body")
                .helpText("Largest JSON body, in bytes, the Tokens API reads; larger bodies get the Tapis error.")
                .defaultValue(DEFAULT_MAX_BODY_BYTES).add()
                .property().name(MAX_SESSION_NOTES_BYTES).type(ProviderConfigProperty.INTEGER_TYPE)
                .label("Maximum per-token data")
                .helpText("Largest total size, in UTF-8 bytes, of what a minted token keeps in its session and carries in "
                        + "every access token: the extra claims as JSON, target_site_id and the delegation subject. "
                        + "Larger requests get the Tapis error.")
                .defaultValue(DEFAULT_MAX_SESSION_NOTES_BYTES).add()
                .build();
    }

    /** The server-wide options of the Tokens API. */
    record TapisTokensSettings(String generatorRole, int maxBodyBytes, int maxSessionNotesBytes) {
    }
}

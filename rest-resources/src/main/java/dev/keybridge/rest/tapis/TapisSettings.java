package dev.keybridge.rest.tapis;

import java.util.List;
import java.util.Optional;

import dev.keybridge.rest.support.RealmSettings;
import dev.keybridge.rest.support.RoleReference;
import dev.keybridge.rest.support.Setting;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The Tokens API's settings, server-wide only ({@code --spi-realm-restapi-extension--tapis--<key>}): they limit what
 * a realm's clients may do, so a realm attribute may not change them. Per-tenant settings come from the
 * {@code tapis-claims} mapper.
 *
 * @param generatorRole role the caller's service account needs to mint tokens for others, in {@link RoleReference}
 *                      notation; the older {@code clientId.role} is still read
 */
record TapisSettings(String generatorRole, int maxBodyBytes, int maxSessionNotesBytes) {

    static final String DEFAULT_GENERATOR_ROLE = "tapis-token-generator";

    static final Setting GENERATOR_ROLE = Setting.serverText("generator-role", "Token generator role",
            "Role the caller's service account needs to mint tokens for any subject other than itself, or delegation tokens. "
                    + "A realm role name, or 'clientId/role' for a client role (the older 'clientId.role' is still read).",
            DEFAULT_GENERATOR_ROLE);
    static final Setting MAX_BODY_BYTES = Setting.serverInteger("max-body-bytes", "Maximum request body",
            "Largest JSON body, in bytes, the Tokens API reads; larger bodies get the Tapis error.", 65536);
    static final Setting MAX_SESSION_NOTES_BYTES = Setting.serverInteger("max-session-notes-bytes", "Maximum per-token data",
            "Largest total size, in UTF-8 bytes, of what a minted token keeps in its session and carries in every access token: "
                    + "the extra claims as JSON, target_site_id and the delegation subject. Larger requests get the Tapis error.", 4096);
    static final List<Setting> ALL = List.of(GENERATOR_ROLE, MAX_BODY_BYTES, MAX_SESSION_NOTES_BYTES);

    /** @throws NumberFormatException for a malformed number (checked at start-up, see the factory) */
    static TapisSettings fromServer(RealmSettings settings) {
        return new TapisSettings(settings.server(GENERATOR_ROLE), Integer.parseInt(settings.server(MAX_BODY_BYTES).trim()),
                Integer.parseInt(settings.server(MAX_SESSION_NOTES_BYTES).trim()));
    }

    /**
     * The generator role: a role in the {@code name} / {@code clientId/name} notation of the other resources, else, for
     * operators who set it before, Keycloak's {@code clientId.name} notation.
     */
    Optional<RoleModel> generatorRole(KeycloakSession session, RealmModel realm) {
        return RoleReference.resolve(realm, generatorRole)
                .or(() -> Optional.ofNullable(KeycloakModelUtils.getRoleFromString(session, realm, generatorRole)));
    }
}

package dev.keybridge.rest.openk;

import java.util.List;

import dev.keybridge.rest.support.AcceptedClients;
import dev.keybridge.rest.support.RealmSettings;
import dev.keybridge.rest.support.Setting;
import org.keycloak.models.RealmModel;

/**
 * The openK resource's settings for one realm, read through {@link RealmSettings}: server-wide defaults from the
 * SPI options ({@code --spi-realm-restapi-extension--openk--<key>}), overridable per realm by the realm attribute
 * {@code openk.<key>} (which travels with the realm export).
 *
 * @param accessRole  role (realm role or {@code clientId/role}) that may call usersForRole besides
 *                    {@code realm-management/view-users}; blank for none
 * @param loginClient     clientId whose direct grant /login runs
 * @param acceptedClients clientIds whose access tokens usersForRole and userModulesForUser accept besides the login client's
 */
record OpenkSettings(String accessRole, String loginClient, List<String> acceptedClients) {

    static final String LOGIN_CLIENT_KEY = "login-client";
    static final String DEFAULT_LOGIN_CLIENT = "openk-portal";

    static final Setting ACCESS_ROLE = Setting.text("access-role", "usersForRole access role",
            "Role (realm role, or clientId/role) whose holders may call usersForRole besides holders of "
                    + "realm-management/view-users. Empty: view-users only.", "");
    static final Setting LOGIN_CLIENT = Setting.text(LOGIN_CLIENT_KEY, "Login client",
            "clientId of the client whose direct-access grant /login runs (it must allow direct access grants).", DEFAULT_LOGIN_CLIENT);
    static final Setting ACCEPTED_CLIENTS = AcceptedClients.setting("Comma-separated clientIds whose access tokens usersForRole "
            + "and userModulesForUser accept besides the login client's; a token issued to any other client of the realm is refused "
            + "(401 invalid_token). Empty: the login client only.");
    static final List<Setting> ALL = List.of(ACCESS_ROLE, LOGIN_CLIENT, ACCEPTED_CLIENTS);

    static OpenkSettings forRealm(RealmSettings settings, RealmModel realm) {
        return new OpenkSettings(settings.get(realm, ACCESS_ROLE), settings.get(realm, LOGIN_CLIENT),
                settings.getList(realm, ACCEPTED_CLIENTS));
    }
}

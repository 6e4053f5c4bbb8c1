package dev.keybridge.rest.openk;

import java.util.List;

import dev.keybridge.rest.support.AcceptedClients;
import dev.keybridge.rest.support.RealmSettings;
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

    static final String ACCESS_ROLE = "access-role";
    static final String LOGIN_CLIENT = "login-client";
    static final String DEFAULT_LOGIN_CLIENT = "openk-portal";

    static OpenkSettings forRealm(RealmSettings settings, RealmModel realm) {
        return new OpenkSettings(settings.get(realm, ACCESS_ROLE, ""), settings.get(realm, LOGIN_CLIENT, DEFAULT_LOGIN_CLIENT),
                settings.getList(realm, AcceptedClients.SETTING));
    }
}

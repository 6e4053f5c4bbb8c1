package dev.keybridge.rest.tapis;

import org.keycloak.Config;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.RoleUtils;

/**
 * Whether a user holds a role that opens Keycloak's admin API or the broker's stored tokens: a role of the realm's
 * {@code realm-management} or {@code broker} client and, in the master realm, {@code admin}, {@code create-realm} or a
 * role of a realm's {@code <realm>-realm} admin client. Group memberships and composite roles count.
 */
final class AdministrativeRoles {

    private static final String REALM_ADMIN_CLIENT_SUFFIX = "-realm";

    private AdministrativeRoles() {
    }

    static boolean heldBy(KeycloakSession session, RealmModel realm, UserModel user) {
        return RoleUtils.getDeepUserRoleMappings(user).stream().anyMatch(role -> isAdministrative(session, realm, role));
    }

    private static boolean isAdministrative(KeycloakSession session, RealmModel realm, RoleModel role) {
        boolean master = Config.getAdminRealm().equals(realm.getName());
        if (!role.isClientRole()) {
            return master && (AdminRoles.ADMIN.equals(role.getName()) || AdminRoles.CREATE_REALM.equals(role.getName()));
        }
        ClientModel client = realm.getClientById(role.getContainerId());
        if (client == null) {
            return false;
        }
        String clientId = client.getClientId();
        if (Constants.REALM_MANAGEMENT_CLIENT_ID.equals(clientId) || Constants.BROKER_SERVICE_CLIENT_ID.equals(clientId)) {
            return true;
        }
        if (!master || !clientId.endsWith(REALM_ADMIN_CLIENT_SUFFIX)) {
            return false;
        }
        RealmModel administered = session.realms().getRealmByName(clientId.substring(0, clientId.length() - REALM_ADMIN_CLIENT_SUFFIX.length()));
        return administered != null && administered.getMasterAdminClient() != null
                && client.getId().equals(administered.getMasterAdminClient().getId());
    }
}

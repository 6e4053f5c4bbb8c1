package dev.keybridge.rest.watcherex;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import dev.keybridge.rest.support.RoleReference;
import org.keycloak.Config;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;

/**
 * The roles WatcherEx user creation may grant as scopes at all (setting {@code grantable-roles}), before Keycloak's
 * admin permissions decide whether the caller may map them. Listed: exactly those roles. Unset: every role except
 * the realm's administration roles (the {@code realm-management} and {@code broker} client roles; in the admin realm
 * also its {@code *-realm} clients' roles and the {@code admin} / {@code create-realm} roles) and any composite that
 * contains one of them at any depth.
 */
record GrantableRoles(List<String> listed) {

    boolean allows(RealmModel realm, RoleModel role) {
        if (!listed.isEmpty()) {
            return listed.stream().map(reference -> RoleReference.resolve(realm, reference)).flatMap(Optional::stream)
                    .anyMatch(role::equals);
        }
        return administrationRoles(realm).noneMatch(role::hasRole);
    }

    private static Stream<RoleModel> administrationRoles(RealmModel realm) {
        Stream<RoleModel> clientRoles = Stream.of(Constants.REALM_MANAGEMENT_CLIENT_ID, Constants.BROKER_SERVICE_CLIENT_ID)
                .map(realm::getClientByClientId)
                .filter(Objects::nonNull)
                .flatMap(ClientModel::getRolesStream);
        if (!Config.getAdminRealm().equals(realm.getName())) {
            return clientRoles;
        }
        Stream<RoleModel> realmAdministration = realm.getClientsStream()
                .filter(client -> client.getClientId().endsWith("-realm"))
                .flatMap(ClientModel::getRolesStream);
        Stream<RoleModel> globalRoles = Stream.of(AdminRoles.ADMIN, AdminRoles.CREATE_REALM).map(realm::getRole).filter(Objects::nonNull);
        return Stream.of(clientRoles, realmAdministration, globalRoles).flatMap(roles -> roles);
    }
}

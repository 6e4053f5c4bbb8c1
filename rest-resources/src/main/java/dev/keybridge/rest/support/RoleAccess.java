package dev.keybridge.rest.support;

import java.util.Collection;
import java.util.Optional;

import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** Role-based access checks for compatibility endpoints, on effective roles (groups and composites count). */
public final class RoleAccess {

    private RoleAccess() {
    }

    /**
     * @param roleReferences roles in {@link RoleReference} notation; blank or unknown ones grant nothing
     * @throws ApiException 403 when the user holds none of them
     */
    public static void requireAny(RealmModel realm, UserModel user, Collection<String> roleReferences, String action) {
        boolean allowed = roleReferences.stream()
                .map(reference -> RoleReference.resolve(realm, reference))
                .flatMap(Optional::stream)
                .anyMatch(user::hasRole);
        if (!allowed) {
            throw ApiException.forbidden("Not allowed to " + action + ": requires one of the roles " + roleReferences);
        }
    }
}

package dev.keybridge.rest.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;

/**
 * A role named the way compatibility APIs and client attributes name it: a realm role by its name, or a
 * client role as {@code clientId/roleName}.
 */
public final class RoleReference {

    /** One way to read a reference as a client role. */
    record ClientRoleName(String clientId, String roleName) {
    }

    private RoleReference() {
    }

    /**
     * Finds the role a reference names. A realm role of that exact name wins; otherwise every split at a
     * {@code /} is tried as {@code clientId/roleName}, leftmost first, because both client ids (URLs) and role
     * names may themselves contain slashes.
     */
    public static Optional<RoleModel> resolve(RealmModel realm, String reference) {
        if (reference == null || reference.isBlank()) {
            return Optional.empty();
        }
        RoleModel realmRole = realm.getRole(reference);
        if (realmRole != null) {
            return Optional.of(realmRole);
        }
        for (ClientRoleName candidate : clientRoleCandidates(reference)) {
            ClientModel client = realm.getClientByClientId(candidate.clientId());
            RoleModel role = client == null ? null : client.getRole(candidate.roleName());
            if (role != null) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The reference of a role in the {@code name} / {@code clientId/name} notation. */
    public static String of(RoleModel role) {
        if (role.isClientRole() && role.getContainer() instanceof ClientModel client) {
            return client.getClientId() + "/" + role.getName();
        }
        return role.getName();
    }

    static List<ClientRoleName> clientRoleCandidates(String reference) {
        List<ClientRoleName> candidates = new ArrayList<>();
        for (int slash = reference.indexOf('/'); slash >= 0; slash = reference.indexOf('/', slash + 1)) {
            if (slash > 0 && slash < reference.length() - 1) {
                candidates.add(new ClientRoleName(reference.substring(0, slash), reference.substring(slash + 1)));
            }
        }
        return candidates;
    }
}

package dev.keybridge.rest.openk;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.keybridge.rest.support.RoleReference;
import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The portal modules of a realm: its enabled clients carrying the attribute {@code module.required-role}.
 * Name is the client's name (else its clientId), link its Home URL, pictureLink its {@code logoUri}.
 */
final class ModuleCatalog {

    static final String REQUIRED_ROLE = "module.required-role";
    static final String COLS = "module.cols";
    static final String ORDER = "module.order";
    static final String LOGO_URI = "logoUri";

    static final Comparator<ModuleConfig> DISPLAY_ORDER =
            Comparator.comparingInt(ModuleConfig::order).thenComparing(ModuleConfig::name, String.CASE_INSENSITIVE_ORDER);

    private final KeycloakSession session;
    private final RealmModel realm;

    ModuleCatalog(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** The modules whose required role the user holds effectively (groups and composites count), in display order. */
    List<ModuleConfig> modulesFor(UserModel user) {
        return moduleClientIds().stream()
                .map(id -> session.clients().getClientById(realm, id))
                .filter(Objects::nonNull)
                .filter(ClientModel::isEnabled)
                .filter(client -> holdsRequiredRole(user, client))
                .map(ModuleCatalog::toModule)
                .sorted(DISPLAY_ORDER)
                .toList();
    }

    /** Looked up by attribute in the database, so realms with many clients are not loaded whole. */
    private List<String> moduleClientIds() {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        return em.createQuery("select a.client.id from ClientAttributeEntity a"
                        + " where a.name = :name and a.client.realmId = :realmId", String.class)
                .setParameter("name", REQUIRED_ROLE)
                .setParameter("realmId", realm.getId())
                .getResultList();
    }

    private boolean holdsRequiredRole(UserModel user, ClientModel client) {
        return RoleReference.resolve(realm, client.getAttribute(REQUIRED_ROLE)).filter(user::hasRole).isPresent();
    }

    static ModuleConfig toModule(ClientModel client) {
        String name = Optional.ofNullable(client.getName()).filter(n -> !n.isBlank()).orElse(client.getClientId());
        return new ModuleConfig(name,
                Math.max(1, intOr(client.getAttribute(COLS), 1)),
                client.getBaseUrl(),
                client.getAttribute(LOGO_URI),
                client.getAttribute(REQUIRED_ROLE),
                intOr(client.getAttribute(ORDER), Integer.MAX_VALUE));
    }

    /** Attribute values are free text in the admin console: anything but an integer means the default. */
    static int intOr(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}

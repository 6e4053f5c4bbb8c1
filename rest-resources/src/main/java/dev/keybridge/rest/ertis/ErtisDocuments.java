package dev.keybridge.rest.ertis;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * ErtisAuth's documents for what a membership (realm) holds: users, utilizers and applications, with the single
 * {@code role} read from the realm's role attribute (setting {@link ErtisSettings#ROLE_ATTRIBUTE}).
 */
final class ErtisDocuments {

    private final RealmModel realm;
    private final String roleAttribute;

    private ErtisDocuments(RealmModel realm, String roleAttribute) {
        this.realm = realm;
        this.roleAttribute = roleAttribute;
    }

    /** @param settings the resource's settings read for {@code realm} */
    static ErtisDocuments of(ErtisSettings settings, RealmModel realm) {
        return new ErtisDocuments(realm, settings.roleAttribute());
    }

    /** The attribute (of users and of application clients) holding the ErtisAuth role. */
    String roleAttribute() {
        return roleAttribute;
    }

    Map<String, Object> utilizer(UserModel user) {
        Map<String, Object> utilizer = new LinkedHashMap<>();
        utilizer.put("_id", user.getId());
        utilizer.put("username", user.getUsername());
        utilizer.put("type", "user");
        utilizer.put("role", user.getFirstAttribute(roleAttribute));
        utilizer.put("membership_id", realm.getName());
        return utilizer;
    }

    Map<String, Object> user(UserModel user) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("_id", user.getId());
        document.put("firstname", user.getFirstName());
        document.put("lastname", user.getLastName());
        document.put("username", user.getUsername());
        document.put("email_address", user.getEmail());
        document.put("role", user.getFirstAttribute(roleAttribute));
        document.put("permissions", List.of());
        document.put("forbidden", List.of());
        document.put("user_type", "User");
        document.put("is_active", user.isEnabled());
        Map<String, Object> sys = new LinkedHashMap<>();
        sys.put("created_at", user.getCreatedTimestamp() == null ? null
                : Instant.ofEpochMilli(user.getCreatedTimestamp()).atZone(ZoneId.systemDefault()).toOffsetDateTime().toString());
        document.put("sys", sys);
        document.put("membership_id", realm.getName());
        return document;
    }

    Map<String, Object> application(ClientModel application) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("_id", application.getId());
        document.put("name", application.getClientId());
        document.put("role", application.getAttribute(roleAttribute));
        document.put("type", "application");
        document.put("membership_id", realm.getName());
        return document;
    }
}

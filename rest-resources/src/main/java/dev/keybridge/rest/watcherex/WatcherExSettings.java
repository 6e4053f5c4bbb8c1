package dev.keybridge.rest.watcherex;

import java.util.List;

import dev.keybridge.rest.support.AcceptedClients;
import dev.keybridge.rest.support.ActingClient;
import dev.keybridge.rest.support.RealmSettings;
import dev.keybridge.rest.support.Setting;
import org.keycloak.models.RealmModel;

/**
 * The WatcherEx resource's settings for one realm (see {@link RealmSettings}).
 *
 * @param client            the client token requests without client_id act for, and whose tokens the admin routes accept
 * @param adminRole         the role standing for WatcherEx's is_admin ({@code name} or {@code clientId/name})
 * @param assertionAudience the audience WatcherEx's client assertions carry
 * @param acceptedClients   clientIds whose tokens the admin routes accept besides the client's
 * @param grantableRoles    roles user creation may grant; empty for every non-administrative role
 */
record WatcherExSettings(ActingClient client, String adminRole, String assertionAudience, List<String> acceptedClients,
                         List<String> grantableRoles) {

    static final Setting CLIENT = Setting.client(WatcherExResourceProviderFactory.PROVIDER_ID,
            "that token requests without client_id (refresh_token grant with a token lacking azp) act for");
    static final Setting ADMIN_ROLE = Setting.text("admin-role", "Admin role",
            "Role (realm role, or clientId/role) that stands for WatcherEx's is_admin: required by the /admin/v1 routes.",
            "watcherex-admin");
    /** The audience WatcherEx required of client assertions (its ClientAssertion token config). */
    static final Setting ASSERTION_AUDIENCE = Setting.text("assertion-audience", "Client assertion audience",
            "Audience (aud) that client_assertion JWTs of WatcherEx's clients carry instead of Keycloak's issuer or token endpoint; "
                    + "accepted besides those, with every other check of Keycloak's Signed JWT client authentication.", "WatcherEx");
    static final Setting ACCEPTED_CLIENTS = AcceptedClients.setting("Comma-separated clientIds whose access tokens the /admin/v1 "
            + "routes accept besides the Client setting's; a token issued to any other client of the realm is refused (403 "
            + "unauthenticated). Empty: that client only.");
    static final Setting GRANTABLE_ROLES = Setting.text("grantable-roles", "Grantable roles",
            "Comma-separated roles (realm role, or clientId/role) that POST /admin/v1/users may grant as scopes; the caller must "
                    + "also hold Keycloak's admin permissions to manage users and map each role. Empty: every role except the "
                    + "realm-management and broker client roles and composites containing one of them.", "");
    static final List<Setting> ALL = List.of(CLIENT, ADMIN_ROLE, ASSERTION_AUDIENCE, ACCEPTED_CLIENTS, GRANTABLE_ROLES);

    static WatcherExSettings forRealm(RealmSettings settings, RealmModel realm) {
        return new WatcherExSettings(settings.client(realm, CLIENT), settings.get(realm, ADMIN_ROLE), settings.get(realm, ASSERTION_AUDIENCE),
                settings.getList(realm, ACCEPTED_CLIENTS), settings.getList(realm, GRANTABLE_ROLES));
    }
}

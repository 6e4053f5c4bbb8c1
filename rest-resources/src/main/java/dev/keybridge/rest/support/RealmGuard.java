package dev.keybridge.rest.support;

import org.keycloak.models.RealmModel;

/**
 * The realm-state check Keycloak's token endpoint makes first, for routes that authenticate a bearer token themselves:
 * Keycloak's bearer-token authenticator checks the token, its session, client and user, but not that the realm is
 * enabled.
 */
public final class RealmGuard {

    /** The token endpoint's words for a disabled realm. */
    public static final String REALM_NOT_ENABLED = "Realm not enabled";

    private RealmGuard() {
    }

    /** @throws ApiException 403 {@code access_denied} "Realm not enabled", as Keycloak's token endpoint answers */
    public static void requireEnabled(RealmModel realm) {
        if (!realm.isEnabled()) {
            throw new ApiException(403, "access_denied", REALM_NOT_ENABLED);
        }
    }
}

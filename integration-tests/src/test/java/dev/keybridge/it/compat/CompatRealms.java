package dev.keybridge.it.compat;

import org.keycloak.representations.idm.RequiredActionProviderRepresentation;
import org.keycloak.testframework.realm.RealmBuilder;

/** Realm settings shared by the compatibility tests. */
public final class CompatRealms {

    private CompatRealms() {
    }

    /**
     * Turns off Keycloak's Verify Profile required action, as the README (compatibility endpoints) asks of realms whose legacy clients never
     * collected first and last names: with the default user profile their users could not sign in otherwise.
     */
    public static RealmBuilder withoutVerifyProfile(RealmBuilder realm) {
        return realm.requiredActions(action("UPDATE_PASSWORD", "Update Password", true),
                action("VERIFY_PROFILE", "Verify Profile", false));
    }

    /**
     * A realm without Verify Profile that rotates refresh tokens, whose access tokens expire after 1 s and whose
     * sessions, with their refresh tokens, idle out after 2 s: for the expired-token cases.
     */
    public static RealmBuilder shortLived(RealmBuilder realm) {
        return withoutVerifyProfile(realm).revokeRefreshToken(true).refreshTokenMaxReuse(0)
                .accessTokenLifespan(1).ssoSessionIdleTimeout(2);
    }

    private static RequiredActionProviderRepresentation action(String alias, String name, boolean enabled) {
        RequiredActionProviderRepresentation action = new RequiredActionProviderRepresentation();
        action.setAlias(alias);
        action.setProviderId(alias);
        action.setName(name);
        action.setEnabled(enabled);
        return action;
    }
}

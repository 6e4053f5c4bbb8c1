package dev.keybridge.it.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.keybridge.it.brokers.BrokerRealm;
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

    /**
     * A realm ready for TimeLapseMe's sign-up, which goes through the user profile's REGISTRATION context: names
     * optional (the app never collects them) and the {@code nickname} attribute declared, at most 128 characters.
     */
    public static RealmBuilder timeLapseMeProfile(RealmBuilder realm) {
        List<Map<String, Object>> attributes = new ArrayList<>(BrokerRealm.optionalNamesAndEmail());
        attributes.add(BrokerRealm.attribute("nickname", Map.of("length", Map.of("max", 128))));
        return realm.update(r -> BrokerRealm.userProfile(r, attributes));
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

package dev.keybridge.rest.timelapseme;

import java.util.List;

import dev.keybridge.rest.support.ActingClient;
import dev.keybridge.rest.support.RealmSettings;
import dev.keybridge.rest.support.Setting;
import org.keycloak.models.RealmModel;

/**
 * The TimeLapseMe resource's settings for one realm (see {@link RealmSettings}).
 *
 * @param client            the client the app's tokens are issued for
 * @param nicknameAttribute the user attribute sign-up stores the nickname in
 */
record TimeLapseMeSettings(ActingClient client, String nicknameAttribute) {

    static final Setting CLIENT = Setting.client(TimeLapseMeResourceProviderFactory.PROVIDER_ID, "the app's tokens are issued for");
    static final Setting NICKNAME_ATTRIBUTE = Setting.text("nickname-attribute", "Nickname attribute",
            "User attribute that sign-up stores the nickname in (map it into the token with a user-attribute mapper, claim nickname).",
            "nickname");
    static final List<Setting> ALL = List.of(CLIENT, NICKNAME_ATTRIBUTE);

    static TimeLapseMeSettings forRealm(RealmSettings settings, RealmModel realm) {
        return new TimeLapseMeSettings(settings.client(realm, CLIENT), settings.get(realm, NICKNAME_ATTRIBUTE));
    }
}

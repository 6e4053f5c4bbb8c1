package dev.keybridge.rest.ertis;

import java.util.List;

import dev.keybridge.rest.support.ActingClient;
import dev.keybridge.rest.support.RealmSettings;
import dev.keybridge.rest.support.Setting;
import org.keycloak.models.RealmModel;

/**
 * The ErtisAuth resource's settings for one realm (see {@link RealmSettings}).
 *
 * @param client        the client generate-token issues tokens for, whose tokens the bearer routes accept
 * @param roleAttribute the user (or client) attribute reported as ErtisAuth's single role
 * @param source        where they were read from, to read another realm's (migrate works on the membership's realm)
 */
record ErtisSettings(ActingClient client, String roleAttribute, RealmSettings source) {

    static final Setting CLIENT = Setting.client(ErtisResourceProviderFactory.PROVIDER_ID,
            "generate-token issues tokens for; Bearer tokens are accepted when issued for it or carrying it as audience");
    static final Setting ROLE_ATTRIBUTE = Setting.text("role-attribute", "Role attribute",
            "User attribute (for applications: client attribute) that me and whoami report as ErtisAuth's single role.", "role");
    static final List<Setting> ALL = List.of(CLIENT, ROLE_ATTRIBUTE);

    static ErtisSettings forRealm(RealmSettings settings, RealmModel realm) {
        return new ErtisSettings(settings.client(realm, CLIENT), settings.get(realm, ROLE_ATTRIBUTE), settings);
    }

    ErtisSettings in(RealmModel other) {
        return forRealm(source, other);
    }
}

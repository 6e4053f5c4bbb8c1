package dev.keybridge.rest.support;

import java.util.Arrays;
import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.RealmModel;

/**
 * A compatibility resource's settings: server-wide defaults from its SPI options
 * ({@code --spi-realm-restapi-extension--<provider>--<key>}), each per-realm {@link Setting} overridable by the realm
 * attribute {@code <provider>.<key>}, which travels with the realm export. Each resource reads them into its own typed
 * settings record.
 */
public final class RealmSettings {

    /** The setting naming the client a resource issues tokens for. */
    public static final String CLIENT = "client";

    private final String providerId;
    private final Config.Scope serverConfig;

    public RealmSettings(String providerId, Config.Scope serverConfig) {
        this.providerId = providerId;
        this.serverConfig = serverConfig;
    }

    /** The realm attribute if set (per-realm settings only), else the server option, else the default; trimmed. */
    public String get(RealmModel realm, Setting setting) {
        String value = setting.perRealm() ? realm.getAttribute(providerId + "." + setting.key()) : null;
        if (value == null || value.isBlank()) {
            value = server(setting);
        }
        return value == null ? null : value.trim();
    }

    /** The server option, else the default. */
    public String server(Setting setting) {
        return serverConfig.get(setting.key(), setting.defaultValue());
    }

    /** A setting holding a list: its comma-separated items, trimmed (names may contain spaces), none when unset. */
    public List<String> getList(RealmModel realm, Setting setting) {
        String value = get(realm, setting);
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    /** The client the {@value #CLIENT} setting names, resolved when a route needs it. */
    public ActingClient client(RealmModel realm, Setting client) {
        return new ActingClient(providerId, get(realm, client));
    }
}

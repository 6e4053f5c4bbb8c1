package dev.keybridge.rest.support;

import java.util.Arrays;
import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * A compatibility resource's settings: server-wide defaults from its SPI options
 * ({@code --spi-realm-restapi-extension--<provider>--<key>}), each overridable per realm by the realm attribute
 * {@code <provider>.<key>}, which travels with the realm export.
 */
public final class RealmSettings {

    /** The setting naming the client a resource issues tokens for. */
    public static final String CLIENT = "client";

    private final String providerId;
    private final Config.Scope serverConfig;
    private final String defaultClient;

    public RealmSettings(String providerId, Config.Scope serverConfig, String defaultClient) {
        this.providerId = providerId;
        this.serverConfig = serverConfig;
        this.defaultClient = defaultClient;
    }

    /** The realm attribute if set, else the server option, else {@code fallback}; trimmed. */
    public String get(RealmModel realm, String key, String fallback) {
        String value = realm.getAttribute(providerId + "." + key);
        if (value == null || value.isBlank()) {
            value = serverConfig.get(key, fallback);
        }
        return value == null ? null : value.trim();
    }

    /** A setting holding a list: its comma-separated items, trimmed (names may contain spaces), none when unset. */
    public List<String> getList(RealmModel realm, String key) {
        String value = get(realm, key, "");
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    /** The clientId the {@value #CLIENT} setting names in the realm, whether or not that client exists. */
    public String clientId(RealmModel realm) {
        return get(realm, CLIENT, defaultClient);
    }

    /**
     * The enabled client named by the {@value #CLIENT} setting, for which the resource issues tokens.
     *
     * @throws ApiException 400 {@code unauthorized_client} when it does not exist or is disabled
     */
    public ClientModel client(RealmModel realm) {
        String clientId = clientId(realm);
        ClientModel client = clientId == null ? null : realm.getClientByClientId(clientId);
        if (client == null || !client.isEnabled()) {
            throw new ApiException(400, "unauthorized_client", "Client '" + clientId + "' (setting " + providerId + "."
                    + CLIENT + ") does not exist or is disabled in realm " + realm.getName());
        }
        return client;
    }
}

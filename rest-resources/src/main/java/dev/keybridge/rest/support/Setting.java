package dev.keybridge.rest.support;

import java.util.List;

import org.keycloak.provider.ProviderConfigProperty;

/**
 * One setting of a compatibility resource: its key, default and console metadata together. A per-realm setting is
 * overridable by the realm attribute {@code <provider>.<key>} (see {@link RealmSettings}), and its help text says so.
 *
 * @param perRealm false for server-wide limits a realm administrator may not raise
 */
public record Setting(String key, String type, String label, String helpText, String defaultValue, boolean perRealm) {

    /** A per-realm text setting. */
    public static Setting text(String key, String label, String helpText, String defaultValue) {
        return new Setting(key, ProviderConfigProperty.STRING_TYPE, label, helpText, defaultValue, true);
    }

    /** The {@value RealmSettings#CLIENT} setting: the client a resource acts for. */
    public static Setting client(String defaultClient, String usage) {
        return text(RealmSettings.CLIENT, "Client", "clientId of the client " + usage + " (it must allow direct access grants).",
                defaultClient);
    }

    /** A server-wide integer setting. */
    public static Setting serverInteger(String key, String label, String helpText, int defaultValue) {
        return new Setting(key, ProviderConfigProperty.INTEGER_TYPE, label, helpText, String.valueOf(defaultValue), false);
    }

    /** A server-wide text setting. */
    public static Setting serverText(String key, String label, String helpText, String defaultValue) {
        return new Setting(key, ProviderConfigProperty.STRING_TYPE, label, helpText, defaultValue, false);
    }

    /** The console metadata of a resource's settings. */
    public static List<ProviderConfigProperty> metadata(String providerId, List<Setting> settings) {
        return settings.stream().map(setting -> setting.property(providerId)).toList();
    }

    private ProviderConfigProperty property(String providerId) {
        String help = perRealm ? helpText + " Per realm: realm attribute " + providerId + "." + key + "." : helpText;
        Object defaults = ProviderConfigProperty.INTEGER_TYPE.equals(type) ? Integer.valueOf(defaultValue) : defaultValue;
        return new ProviderConfigProperty(key, label, help, type, defaults);
    }
}

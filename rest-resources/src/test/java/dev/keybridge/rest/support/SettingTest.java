package dev.keybridge.rest.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

class SettingTest {

    @Test
    void aPerRealmSettingsHelpNamesItsRealmAttribute() {
        ProviderConfigProperty property = Setting.metadata("ertis",
                List.of(Setting.text("role-attribute", "Role attribute", "The role.", "role"))).get(0);
        assertEquals("role-attribute", property.getName());
        assertEquals("The role. Per realm: realm attribute ertis.role-attribute.", property.getHelpText());
        assertEquals("role", property.getDefaultValue());
        assertEquals(ProviderConfigProperty.STRING_TYPE, property.getType());
    }

    @Test
    void aServerWideSettingNamesNoRealmAttributeAndKeepsItsNumberType() {
        ProviderConfigProperty property = Setting.metadata("tapis",
                List.of(Setting.serverInteger("max-body-bytes", "Maximum request body", "Largest body.", 65536))).get(0);
        assertEquals("Largest body.", property.getHelpText());
        assertEquals(65536, property.getDefaultValue());
        assertEquals(ProviderConfigProperty.INTEGER_TYPE, property.getType());
    }

    @Test
    void theClientSettingSaysItMustAllowDirectGrants() {
        Setting client = Setting.client("timelapseme", "the app's tokens are issued for");
        assertEquals(RealmSettings.CLIENT, client.key());
        assertEquals("timelapseme", client.defaultValue());
        assertEquals("clientId of the client the app's tokens are issued for (it must allow direct access grants). Per realm: "
                + "realm attribute timelapseme.client.", Setting.metadata("timelapseme", List.of(client)).get(0).getHelpText());
    }
}

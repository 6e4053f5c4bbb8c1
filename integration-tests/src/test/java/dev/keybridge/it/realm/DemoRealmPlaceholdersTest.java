package dev.keybridge.it.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.StringPropertyReplacer;
import org.keycloak.util.JsonSerialization;

/**
 * The demo realm file through the placeholder replacement Keycloak 26.7 applies when it imports a
 * directory at start-up (--import-realm or -Dkeycloak.migration.dir): AbstractFileBasedImportProvider
 * runs StringPropertyReplacer over the whole file with environment variables as the only source.
 * Here the environment is a map, so both cases run in one JVM; DemoRealmExportTest checks the real
 * start-up import of the unset case.
 */
class DemoRealmPlaceholdersTest {

    private static final Path REALM_FILE = Path.of(System.getProperty("keybridge.realm.dir"), "keybridge-demo-realm.json");

    @Test
    void mysqlFederationIsDisabledWhenItsEnvironmentIsUnset() throws IOException {
        JsonNode config = mysqlFederationConfig(Map.of());

        assertEquals("false", config.path("enabled").path(0).asText());
        assertEquals("jdbc:mysql://mysql:3306/legacy", config.path("jdbcUrl").path(0).asText());
        assertEquals("keybridge", config.path("jdbcUser").path(0).asText());
        assertEquals("${vault.legacy-db-password}", config.path("jdbcPassword").path(0).asText());
    }

    @Test
    void mysqlFederationIsEnabledWithTheConnectionFromTheEnvironment() throws IOException {
        JsonNode config = mysqlFederationConfig(Map.of(
                "KEYBRIDGE_LEGACY_DB_ENABLED", "true",
                "KEYBRIDGE_LEGACY_DB_URL", "jdbc:mariadb://db.internal:3306/timelapseme",
                "KEYBRIDGE_LEGACY_DB_USER", "tlm_reader",
                "KEYBRIDGE_LEGACY_DB_PASSWORD", "s3cret"));

        assertEquals("true", config.path("enabled").path(0).asText());
        assertEquals("jdbc:mariadb://db.internal:3306/timelapseme", config.path("jdbcUrl").path(0).asText());
        assertEquals("tlm_reader", config.path("jdbcUser").path(0).asText());
        assertEquals("s3cret", config.path("jdbcPassword").path(0).asText());
    }

    @Test
    void vaultReferencesOfTheIdentityProvidersAreLeftForTheVault() throws IOException {
        JsonNode realm = importedRealm(Map.of("KEYBRIDGE_LEGACY_DB_ENABLED", "true"));

        Map<String, String> secrets = new HashMap<>();
        realm.path("identityProviders").forEach(idp ->
                secrets.put(idp.path("alias").asText(), idp.path("config").path("clientSecret").asText()));
        assertEquals(Map.of("apple", "${vault.apple-p8-key}", "google", "${vault.google-client-secret}"), secrets);
    }

    private static JsonNode mysqlFederationConfig(Map<String, String> environment) throws IOException {
        for (JsonNode component : importedRealm(environment).path("components").path("org.keycloak.storage.UserStorageProvider")) {
            if (component.path("name").asText().equals("timelapseme-mysql")) {
                return component.path("config");
            }
        }
        throw new AssertionError("no timelapseme-mysql component in " + REALM_FILE);
    }

    /** What the import reads: the file with ${VAR} and ${VAR:default} resolved from the environment. */
    private static JsonNode importedRealm(Map<String, String> environment) throws IOException {
        try (InputStream replaced = StringPropertyReplacer.replaceProperties(Files.newInputStream(REALM_FILE), environment::get)) {
            return JsonSerialization.mapper.readTree(replaced);
        }
    }
}

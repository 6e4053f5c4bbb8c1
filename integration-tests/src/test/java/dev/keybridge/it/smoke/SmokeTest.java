package dev.keybridge.it.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import dev.keybridge.it.harness.KeybridgeBuild;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.info.ServerInfoRepresentation;
import org.keycloak.representations.info.SpiInfoRepresentation;
import org.keycloak.representations.info.ThemeInfoRepresentation;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.server.KeycloakUrls;
import org.keycloak.util.JsonSerialization;

/** Proves the harness: our jars are loaded, the realm export is imported and issues tokens. */
@KeycloakIntegrationTest
class SmokeTest {

    private static final String DEMO_REALM = "keybridge-demo";

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    @Test
    void serverInfoListsEveryProviderTheBuildRegisters() throws Exception {
        List<KeybridgeBuild.ProviderId> expected = KeybridgeBuild.providerIds();
        Map<String, SpiInfoRepresentation> served = admin.serverInfo().getInfo().getProviders();

        for (KeybridgeBuild.ProviderId provider : expected) {
            SpiInfoRepresentation spi = served.get(provider.spi());
            Set<String> ids = spi == null ? Set.of() : spi.getProviders().keySet();
            assertTrue(ids.contains(provider.id()),
                    "SPI " + provider.spi() + " should list provider " + provider.id() + " but lists " + ids);
        }
    }

    @Test
    void serverInfoListsEveryThemeTheBuildDeclares() throws Exception {
        Map<String, List<String>> expected = KeybridgeBuild.themes();
        assertFalse(expected.isEmpty(), "the themes module declares no theme");
        ServerInfoRepresentation info = admin.serverInfo().getInfo();

        expected.forEach((type, names) -> {
            Set<String> served = info.getThemes().getOrDefault(type, List.of()).stream()
                    .map(ThemeInfoRepresentation::getName).collect(Collectors.toSet());
            assertTrue(served.containsAll(names), type + " themes " + served + " should include " + names);
        });
    }

    @Test
    void everyRealmOfTheExportIsImported() throws Exception {
        var realmFiles = KeybridgeBuild.realmFiles();
        assertFalse(realmFiles.isEmpty(), "realm-export/realms holds no realm file");
        Set<String> realms = admin.realms().findAll().stream().map(r -> r.getRealm()).collect(Collectors.toSet());
        for (var file : realmFiles) {
            String realm = JsonSerialization.mapper.readTree(file.toFile()).path("realm").asText();
            assertTrue(realms.contains(realm), "realm " + realm + " from " + file.getFileName() + " is not imported: " + realms);
        }
    }

    @Test
    void demoRealmIssuesATokenToTheDemoUser() throws Exception {
        Http.Response response = Http.at(urls.getBase() + "/realms/" + DEMO_REALM).token(Map.of(
                "grant_type", "password",
                "client_id", "keybridge-demo-app",
                "username", "demo",
                "password", "demo",
                "scope", "openid"));

        assertEquals(200, response.status(), response.body());
        JsonNode token = response.json();
        assertEquals("Bearer", token.path("token_type").asText());
        JsonNode claims = Jwt.claims(token.path("access_token").asText());
        assertEquals(urls.getBase() + "/realms/" + DEMO_REALM, claims.path("iss").asText());
        assertEquals("demo", claims.path("preferred_username").asText());
    }
}

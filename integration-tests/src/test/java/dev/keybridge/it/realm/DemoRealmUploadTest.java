package dev.keybridge.it.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.ws.rs.BadRequestException;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.util.JsonSerialization;

/**
 * The admin console's "Create realm → Resource file" with the demo realm file as it is: Keycloak resolves no
 * placeholders on that path, so the mysql-users federation arrives with its ${...} values, disabled, and must
 * not turn the upload into a 500. Only the realm's name changes (the start-up import already made the original).
 */
@KeycloakIntegrationTest
class DemoRealmUploadTest {

    private static final Path REALM_FILE = Path.of(System.getProperty("keybridge.realm.dir"), "keybridge-demo-realm.json");
    private static final String UPLOADED = "keybridge-demo-uploaded";

    @InjectAdminClient
    Keycloak admin;

    @Test
    void theDemoRealmFileCreatesARealmThroughTheAdminApi() throws IOException {
        RealmRepresentation realm = JsonSerialization.readValue(Files.readString(REALM_FILE), RealmRepresentation.class);
        realm.setRealm(UPLOADED);
        try {
            admin.realms().create(realm);
            List<ComponentRepresentation> federation = admin.realm(UPLOADED).components()
                    .query(null, "org.keycloak.storage.UserStorageProvider", "timelapseme-mysql");
            assertEquals(1, federation.size(), federation::toString);
            String enabled = federation.get(0).getConfig().getFirst("enabled");
            assertFalse(Boolean.parseBoolean(enabled), "the federation must stay disabled: " + enabled);
            assertTrue(federation.get(0).getConfig().getFirst("jdbcUrl").startsWith("${KEYBRIDGE_LEGACY_DB_URL"),
                    "the placeholder is kept for the operator to fill in");

            // enabling it before the placeholders are replaced is a clear 400, not a 500
            ComponentRepresentation enabling = federation.get(0);
            enabling.getConfig().putSingle("enabled", "true");
            BadRequestException refused = assertThrows(BadRequestException.class,
                    () -> admin.realm(UPLOADED).components().component(enabling.getId()).update(enabling));
            assertTrue(refused.getResponse().readEntity(String.class).contains("unresolved placeholder"));
        } finally {
            // the realm goes whether or not the assertions held
            if (admin.realms().findAll().stream().anyMatch(r -> UPLOADED.equals(r.getRealm()))) {
                admin.realm(UPLOADED).remove();
            }
        }
    }
}

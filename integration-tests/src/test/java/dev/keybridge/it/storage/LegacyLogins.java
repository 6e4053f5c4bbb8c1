package dev.keybridge.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;

/** What the legacy-user tests read from password grants' answers, and their clients and passwords. */
public final class LegacyLogins {

    private LegacyLogins() {
    }

    /** What Keycloak answers a local user with a wrong password. */
    public static void assertInvalidCredentials(Http.Response response) {
        response.assertError(400, "invalid_grant");
        assertEquals("Invalid user credentials", response.errorDescription());
    }

    static JsonNode accessTokenClaims(Http.Response response) {
        return Jwt.claims(response.accessToken());
    }

    /** A public client that may use the password grant. */
    public static ClientRepresentation directGrantClient(String clientId) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setPublicClient(true);
        client.setDirectAccessGrantsEnabled(true);
        return client;
    }

    static CredentialRepresentation password(String value) {
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(value);
        password.setTemporary(false);
        return password;
    }
}

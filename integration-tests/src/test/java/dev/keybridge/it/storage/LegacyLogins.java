package dev.keybridge.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Jwt;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.util.JsonSerialization;

/** Password grants of legacy users and what the tests read from the answers. */
final class LegacyLogins {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LegacyLogins() {
    }

    /** A password grant at {@code realmUrl}'s token endpoint for a public client. */
    static HttpResponse<String> passwordGrant(String realmUrl, String clientId, String username, String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password", "client_id", clientId,
                        "username", username, "password", password))))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** What Keycloak answers a local user with a wrong password. */
    static void assertInvalidCredentials(HttpResponse<String> response) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = JsonSerialization.mapper.readTree(response.body());
        assertEquals("invalid_grant", error.path("error").asText());
        assertEquals("Invalid user credentials", error.path("error_description").asText());
    }

    static JsonNode accessTokenClaims(HttpResponse<String> response) throws Exception {
        return Jwt.claims(JsonSerialization.mapper.readTree(response.body()).path("access_token").asText());
    }

    /** A public client that may use the password grant. */
    static ClientRepresentation directGrantClient(String clientId) {
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

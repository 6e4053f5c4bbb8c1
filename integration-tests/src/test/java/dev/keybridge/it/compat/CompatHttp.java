package dev.keybridge.it.compat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.util.JsonSerialization;

/** Plain HTTP calls to a realm's compatibility resource, as the original systems' clients make them. */
public final class CompatHttp {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ManagedRealm realm;
    private final String resource;

    /** @param resource the resource's path below the realm, e.g. {@code timelapseme} */
    public CompatHttp(ManagedRealm realm, String resource) {
        this.realm = realm;
        this.resource = resource;
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json, Map.of("Content-Type", "application/json"));
    }

    public HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/" + resource + "/" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The token endpoint's JSON answer to a direct grant of the client, failing the test unless it is 200. */
    public JsonNode passwordGrant(String clientId, String username, String password) throws IOException, InterruptedException {
        String form = Map.of("grant_type", "password", "client_id", clientId, "username", username, "password", password)
                .entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request of " + username + " for " + clientId + " failed: " + response.body());
        }
        return json(response);
    }

    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return JsonSerialization.mapper.readTree(response.body());
    }

    /** The member names of a JSON object, in the order the server wrote them. */
    public static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public static String json(Object value) throws IOException {
        return JsonSerialization.writeValueAsString(value);
    }
}

package dev.keybridge.it.openk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.util.JsonSerialization;

/** Plain HTTP calls to a realm's openK resource and token endpoint, as a portal makes them. */
public final class OpenkHttp {

    static final String PORTAL_CLIENT = "openk-portal";
    static final String PORTAL_ORIGIN = "https://portal.example";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String realmUrl;

    OpenkHttp(ManagedRealm realm) {
        this(realm.getBaseUrl());
    }

    public OpenkHttp(String realmUrl) {
        this.realmUrl = realmUrl;
    }

    /** An access token for the user from the portal client's direct grant at the token endpoint. */
    public String accessToken(String username, String password) throws IOException, InterruptedException {
        return accessToken(PORTAL_CLIENT, username, password);
    }

    /** An access token for the user from the given client's direct grant at the token endpoint. */
    public String accessToken(String clientId, String username, String password) throws IOException, InterruptedException {
        String form = Map.of("grant_type", "password", "client_id", clientId, "username", username, "password", password)
                .entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request for " + username + " failed: " + response.body());
        }
        return json(response).path("access_token").asText();
    }

    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send("GET", path, token, null, Map.of());
    }

    HttpResponse<String> post(String path, String token, String body) throws IOException, InterruptedException {
        return send("POST", path, token, body, Map.of());
    }

    HttpResponse<String> send(String method, String path, String token, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realmUrl + "/openk/" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (token != null) {
            all.put("Authorization", "Bearer " + token);
        }
        if (body != null) {
            all.put("Content-Type", "application/json");
        }
        all.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return JsonSerialization.mapper.readTree(response.body());
    }

    /** One field of every object of a 200 response's JSON array, in order. */
    public static List<String> fieldOfEach(HttpResponse<String> response, String field) throws IOException {
        assertEquals(200, response.statusCode(), response.body());
        List<String> values = new ArrayList<>();
        json(response).forEach(item -> values.add(item.path(field).asText()));
        return values;
    }

    static void assertError(HttpResponse<String> response, int status, String error) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(error, json(response).path("error").asText(), response.body());
    }
}

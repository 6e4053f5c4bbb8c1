package dev.keybridge.it.brokers;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import org.keycloak.util.JsonSerialization;

/** Plain form posts to a realm's token endpoint, as a mobile app would send them. */
final class TokenRequests {

    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";

    record Reply(int status, Map<String, Object> body) {
        String string(String name) {
            return body.get(name) instanceof String s ? s : null;
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TokenRequests() {
    }

    static Reply post(String realmUrl, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            Map<String, Object> json = response.body().startsWith("{")
                    ? JsonSerialization.readValue(response.body(), new TypeReference<Map<String, Object>>() {
                    })
                    : Map.of("raw", response.body());
            return new Reply(response.statusCode(), json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** RFC 8693 exchange of an external ID token for Keycloak tokens. */
    static Reply exchange(String realmUrl, String clientId, String alias, String idToken, String nonce) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("grant_type", TOKEN_EXCHANGE);
        form.put("client_id", clientId);
        form.put("subject_token", idToken);
        form.put("subject_token_type", ID_TOKEN_TYPE);
        form.put("subject_issuer", alias);
        form.put("scope", "openid");
        if (nonce != null) {
            form.put("nonce", nonce);
        }
        return post(realmUrl, form);
    }
}

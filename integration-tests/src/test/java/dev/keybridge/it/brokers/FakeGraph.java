package dev.keybridge.it.brokers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import org.keycloak.util.JsonSerialization;

/**
 * A local Facebook Graph API: token inspection ({@code GET /debug_token}, which only the app's own credentials may ask)
 * and the profile ({@code GET /me}, which insists on a correct {@code appsecret_proof}), for access tokens the test
 * issues. It records every request, so tests can see what Keycloak sent, and can be made slow, down or nonsensical.
 */
public final class FakeGraph {

    public static final String APP_ID = "424242424242";
    public static final String APP_SECRET = "fake-facebook-app-secret";
    public static final String VERSION = "v24.0";

    /** One request Keycloak made: the path below the version, the query and the Authorization header. */
    public record Request(String path, Map<String, String> query, String authorization) {
    }

    private record Token(String appId, String userId, String type, long expiresAt) {
    }

    private static final Map<String, FakeGraph> GRAPHS = new ConcurrentHashMap<>();

    private final String url;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> profiles = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean down;
    private volatile boolean garbage;

    private FakeGraph(String name) {
        this.url = FakeProvider.serve(name, this::handle) + "/" + VERSION;
    }

    /** The Graph API of one test class, under its own path. */
    public static FakeGraph named(String name) {
        return GRAPHS.computeIfAbsent(name, FakeGraph::new);
    }

    /** What the IdP's Graph API URL setting points at (with the version). */
    public String url() {
        return url;
    }

    /** A user of the app with this profile (email may be null), and a user access token of the app for them, valid an hour. */
    public String userToken(String userId, String firstName, String lastName, String email) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("id", userId);
        profile.put("name", firstName + " " + lastName);
        profile.put("first_name", firstName);
        profile.put("last_name", lastName);
        if (email != null) {
            profile.put("email", email);
        }
        profiles.put(userId, profile);
        return token(APP_ID, userId, "USER", Instant.now().getEpochSecond() + 3600);
    }

    /** A token as Graph would describe it: of any app, any type, expiring at any time (0 = never). */
    public String token(String appId, String userId, String type, long expiresAt) {
        String token = "EAA" + UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, new Token(appId, userId, type, expiresAt));
        return token;
    }

    public void slow(Duration delay) {
        this.delay = delay;
    }

    /** Answers 503 from now on, or normally again. */
    public void down(boolean down) {
        this.down = down;
    }

    /** Answers 200 with a body that is not JSON from now on, or normally again. */
    public void garbage(boolean garbage) {
        this.garbage = garbage;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** What Graph would have refused in Keycloak's requests: wrong app credentials, a missing or wrong appsecret_proof. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String prefix = url.substring(url.indexOf('/', "http://".length()));
        String path = exchange.getRequestURI().getPath().substring(Math.min(prefix.length(), exchange.getRequestURI().getPath().length()));
        Map<String, String> query = FakeProvider.form(exchange.getRequestURI().getRawQuery());
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        requests.add(new Request(path, query, authorization));
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (down) {
            FakeProvider.respond(exchange, 503, "text/plain", "service unavailable");
        } else if (garbage) {
            FakeProvider.respond(exchange, 200, "text/html", "<html>surprise</html>");
        } else if ("/debug_token".equals(path)) {
            debugToken(exchange, query, authorization);
        } else if ("/me".equals(path)) {
            me(exchange, query, authorization);
        } else {
            FakeProvider.respond(exchange, 404, "application/json", error("Unknown path components: " + path, 2500));
        }
    }

    private void debugToken(HttpExchange exchange, Map<String, String> query, String authorization) throws IOException {
        if (!("Bearer " + APP_ID + "|" + APP_SECRET).equals(authorization) && !(APP_ID + "|" + APP_SECRET).equals(query.get("access_token"))) {
            problems.add("debug_token without the app's credentials");
            FakeProvider.respond(exchange, 400, "application/json", error("Invalid OAuth access token - Cannot parse access token", 190));
            return;
        }
        Token token = tokens.get(query.getOrDefault("input_token", ""));
        Map<String, Object> data = new LinkedHashMap<>();
        if (token == null) {
            data.put("error", Map.of("code", 190, "message", "Invalid OAuth access token."));
            data.put("is_valid", false);
            data.put("scopes", List.of());
        } else {
            data.put("app_id", token.appId());
            data.put("type", token.type());
            data.put("application", "Fake app");
            data.put("data_access_expires_at", token.expiresAt());
            data.put("expires_at", token.expiresAt());
            data.put("is_valid", token.expiresAt() == 0 || token.expiresAt() > Instant.now().getEpochSecond());
            data.put("scopes", List.of("email", "public_profile"));
            data.put("user_id", token.userId());
        }
        FakeProvider.respond(exchange, 200, "application/json", JsonSerialization.writeValueAsString(Map.of("data", data)));
    }

    private void me(HttpExchange exchange, Map<String, String> query, String authorization) throws IOException {
        String accessToken = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : query.get("access_token");
        Token token = accessToken == null ? null : tokens.get(accessToken);
        if (token == null) {
            FakeProvider.respond(exchange, 400, "application/json", error("Invalid OAuth access token - Cannot parse access token", 190));
            return;
        }
        if (!proof(accessToken).equals(query.get("appsecret_proof"))) {
            problems.add("me with a missing or wrong appsecret_proof: " + query.get("appsecret_proof"));
            FakeProvider.respond(exchange, 400, "application/json", error("Invalid appsecret_proof provided in the API argument", 100));
            return;
        }
        Map<String, Object> profile = profiles.getOrDefault(token.userId(), Map.of("id", token.userId()));
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String field : query.getOrDefault("fields", "id").split(",")) {
            if (profile.containsKey(field)) {
                fields.put(field, profile.get(field));
            }
        }
        FakeProvider.respond(exchange, 200, "application/json", JsonSerialization.writeValueAsString(fields));
    }

    private static String proof(String accessToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(accessToken.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String error(String message, int code) throws IOException {
        return JsonSerialization.writeValueAsString(Map.of("error", Map.of("message", message, "type", "OAuthException", "code", code)));
    }
}

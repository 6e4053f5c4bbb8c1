package dev.keybridge.it.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.util.JsonSerialization;

/**
 * Plain HTTP calls against the real server, as a client application, mobile app or portal makes them: a
 * realm's token, userinfo and introspection endpoints and its REST resources. Paths are relative to the
 * realm (or to {@link #resource(String) its resource}); absolute URLs are sent as they are.
 * {@link #session(String)} keeps cookies, so a browser login signs in once and later clients ride the SSO
 * session.
 */
public final class Http {

    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
    /** The redirect URI {@link #browserLogin} sends; a client it signs in must allow it. */
    public static final String REDIRECT_URI = "http://localhost:8080/rrt-callback";

    private static final HttpClient SHARED = HttpClient.newHttpClient();
    private static final Pattern LOGIN_FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern CODE = Pattern.compile("[?&]code=([^&]+)");

    /** One answer of the server; {@link #json()} and the token accessors read its body. */
    public record Response(int status, String body, HttpHeaders headers) {

        /** The body as JSON, failing when it is not JSON. */
        public JsonNode json() {
            try {
                return JsonSerialization.mapper.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }

        /** A text member of the JSON object body; null when absent or the body is no JSON object. */
        public String string(String name) {
            JsonNode member = jsonOrMissing().path(name);
            return member.isTextual() ? member.asText() : null;
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** This response, failing the test unless it is 200. */
        public Response requireOk() {
            assertEquals(200, status, body);
            return this;
        }

        /** Fails unless the status is the given one and the JSON body's {@code error} member says {@code error}. */
        public void assertError(int expectedStatus, String error) {
            assertEquals(expectedStatus, status, body);
            assertEquals(error, json().path("error").asText(), body);
        }

        /** One field of every object of a 200 response's JSON array, in order. */
        public List<String> fieldOfEach(String field) {
            requireOk();
            List<String> values = new ArrayList<>();
            json().forEach(item -> values.add(item.path(field).asText()));
            return values;
        }

        public String accessToken() {
            return string("access_token");
        }

        public String refreshToken() {
            return string("refresh_token");
        }

        public String error() {
            return string("error");
        }

        public String errorDescription() {
            String description = string("error_description");
            return description == null ? "" : description;
        }

        /** The user session id, read from the (unverified) access token payload. */
        public String sessionId() {
            return Jwt.claims(accessToken()).path("sid").asText(null);
        }

        private JsonNode jsonOrMissing() {
            try {
                return body.startsWith("{") ? JsonSerialization.mapper.readTree(body) : MissingNode.getInstance();
            } catch (IOException e) {
                return MissingNode.getInstance();
            }
        }
    }

    /** A confidential client of the realm; it authenticates with its secret in the form. */
    public record Client(String clientId, String secret) {
    }

    private final HttpClient http;
    private final String realmUrl;
    private final String baseUrl;

    /** Calls to absolute URLs only. */
    public static Http plain() {
        return new Http(SHARED, null, null);
    }

    /** Calls to a realm (or another base URL), without cookies. */
    public static Http at(String realmUrl) {
        return new Http(SHARED, realmUrl, realmUrl);
    }

    public static Http at(ManagedRealm realm) {
        return at(realm.getBaseUrl());
    }

    /** Calls to a realm with a cookie jar of their own, as one browser: {@link #browserLogin} shares its SSO session. */
    public static Http session(String realmUrl) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new LoopbackCookieJar())
                .build();
        return new Http(http, realmUrl, realmUrl);
    }

    private Http(HttpClient http, String realmUrl, String baseUrl) {
        this.http = http;
        this.realmUrl = realmUrl;
        this.baseUrl = baseUrl;
    }

    /** The same client, with relative paths below the realm's resource, e.g. {@code openk}; token calls still go to the realm. */
    public Http resource(String resource) {
        return new Http(http, realmUrl, realmUrl + "/" + resource);
    }

    // ---- any route

    public Response send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    /** A GET, with the bearer token unless it is null. */
    public Response get(String path, String bearer) {
        return send("GET", path, null, bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer));
    }

    /** A JSON body (none when null), with the Authorization header unless it is null. */
    public Response json(String method, String path, String json, String authorization) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (json != null) {
            headers.put("Content-Type", "application/json");
        }
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return send(method, path, json, headers);
    }

    public Response postJson(String path, String json) {
        return json("POST", path, json, null);
    }

    /** A form post, with the Authorization header unless it is null. */
    public Response form(String path, Map<String, String> fields, String authorization) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return send("POST", path, query(fields), headers);
    }

    // ---- the realm's OpenID Connect endpoints

    /** A form post to the realm's token endpoint, as a public client (or one that authenticates in the form) sends it. */
    public Response token(Map<String, String> form) {
        return form(realmUrl + "/protocol/openid-connect/token", form, null);
    }

    /** A direct grant of a public client. */
    public Response passwordGrant(String clientId, String username, String password) {
        return token(Map.of("grant_type", "password", "client_id", clientId, "username", username, "password", password));
    }

    /** The access token of a public client's direct grant, failing the test unless the grant succeeds. */
    public String accessToken(String clientId, String username, String password) {
        return passwordGrant(clientId, username, password).requireOk().accessToken();
    }

    public Response passwordGrant(Client client, String username, String password, String scope) {
        return confidential("/protocol/openid-connect/token", client,
                Map.of("grant_type", "password", "username", username, "password", password, "scope", scope));
    }

    public Response refresh(Client client, String refreshToken) {
        return confidential("/protocol/openid-connect/token", client, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    /** RFC 8693 exchange of an external ID token for Keycloak tokens. */
    public Response exchange(String clientId, String alias, String idToken, String nonce) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", TOKEN_EXCHANGE);
        form.put("client_id", clientId);
        form.put("subject_token", idToken);
        form.put("subject_token_type", ID_TOKEN_TYPE);
        form.put("subject_issuer", alias);
        form.put("scope", "openid");
        if (nonce != null) {
            form.put("nonce", nonce);
        }
        return token(form);
    }

    /**
     * Authorization-code login with {@link #REDIRECT_URI}; on a {@link #session} the first client signs in
     * and later ones ride the SSO session.
     */
    public Response browserLogin(Client client, String username, String password) {
        String authUrl = realmUrl + "/protocol/openid-connect/auth?" + query(Map.of("client_id", client.clientId(),
                "redirect_uri", REDIRECT_URI, "response_type", "code", "scope", "openid"));
        Response page = get(authUrl, null);
        Response redirect = page.status() == 200 ? submitLogin(page, username, password) : page;
        String location = redirect.header("Location")
                .orElseThrow(() -> new IllegalStateException("login did not redirect: " + redirect.status() + " " + redirect.body()));
        Matcher code = CODE.matcher(location);
        if (!code.find()) {
            throw new IllegalStateException("no code in " + location);
        }
        return confidential("/protocol/openid-connect/token", client, Map.of("grant_type", "authorization_code",
                "code", URLDecoder.decode(code.group(1), StandardCharsets.UTF_8), "redirect_uri", REDIRECT_URI));
    }

    /** Keycloak's login form of the page filled in and posted as a browser would; the answer. */
    public Response submitLogin(Response page, String username, String password) {
        Matcher action = LOGIN_FORM_ACTION.matcher(page.body());
        if (!action.find()) {
            throw new AssertionError("no login form: " + page.body());
        }
        return form(action.group(1).replace("&amp;", "&"), Map.of("username", username, "password", password, "credentialId", ""), null);
    }

    /** RP-initiated logout through the back channel (the refresh token names the session); returns the HTTP status. */
    public int logout(Client client, String refreshToken) {
        return confidential("/protocol/openid-connect/logout", client, Map.of("refresh_token", refreshToken)).status();
    }

    public int userInfoStatus(String accessToken) {
        return get(realmUrl + "/protocol/openid-connect/userinfo", accessToken).status();
    }

    public boolean introspectionActive(Client client, String token) {
        return confidential("/protocol/openid-connect/token/introspect", client, Map.of("token", token)).json().path("active").asBoolean();
    }

    // ---- values

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The bearer Authorization header of a token, or null for none. */
    public static String bearer(String token) {
        return token == null ? null : "Bearer " + token;
    }

    /** The fields URL-encoded, for a query string or a form body. */
    public static String query(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public static String toJson(Object value) {
        try {
            return JsonSerialization.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The member names of a JSON object, in the order the server wrote them. */
    public static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private Response confidential(String path, Client client, Map<String, String> params) {
        Map<String, String> body = new LinkedHashMap<>(params);
        body.put("client_id", client.clientId());
        body.put("client_secret", client.secret());
        return form(realmUrl + path, body, null);
    }

    private String url(String path) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return path;
        }
        if (baseUrl == null) {
            throw new IllegalArgumentException("Http.plain() needs absolute URLs: " + path);
        }
        return baseUrl + "/" + path;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new IllegalStateException("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Keycloak marks its cookies Secure on localhost (a secure context for browsers), which the JDK's
     * CookieManager then never sends over http; this jar of the one test realm sends them all.
     */
    private static final class LoopbackCookieJar extends CookieHandler {
        private final Map<String, String> cookies = new ConcurrentHashMap<>();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
            if (cookies.isEmpty()) {
                return Map.of();
            }
            return Map.of("Cookie", List.of(cookies.entrySet().stream()
                    .map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining("; "))));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) {
            responseHeaders.entrySet().stream()
                    .filter(header -> "Set-Cookie".equalsIgnoreCase(header.getKey()))
                    .flatMap(header -> header.getValue().stream())
                    .flatMap(value -> HttpCookie.parse(value).stream())
                    .forEach(cookie -> {
                        if (cookie.getMaxAge() == 0) {
                            cookies.remove(cookie.getName());
                        } else {
                            cookies.put(cookie.getName(), cookie.getValue());
                        }
                    });
        }
    }
}

package dev.keybridge.it.refresh;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Jwt;
import org.keycloak.util.JsonSerialization;

/**
 * The token, userinfo and introspection endpoints of one realm as a client application calls them,
 * plus a cookie-keeping browser login, so two clients can share one login (SSO) as in production.
 */
public final class OidcHttp {

    static final String REDIRECT_URI = "http://localhost:8080/rrt-callback";
    private static final Pattern LOGIN_FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern CODE = Pattern.compile("[?&]code=([^&]+)");

    /** One token-endpoint answer: the HTTP status and its JSON body. */
    public record TokenResponse(int status, JsonNode body) {
        public String accessToken() {
            return body.path("access_token").asText(null);
        }

        public String refreshToken() {
            return body.path("refresh_token").asText(null);
        }

        public String error() {
            return body.path("error").asText(null);
        }

        public String errorDescription() {
            return body.path("error_description").asText("");
        }

        /** The user session id, read from the (unverified) access token payload. */
        public String sessionId() {
            return Jwt.claims(accessToken()).path("sid").asText(null);
        }
    }

    /** A confidential client of the realm. */
    public record Client(String clientId, String secret) {
    }

    private final String realmUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .cookieHandler(new LoopbackCookieJar())
            .build();

    public OidcHttp(String realmUrl) {
        this.realmUrl = realmUrl;
    }

    public TokenResponse passwordGrant(Client client, String username, String password, String scope) {
        return token(client, Map.of("grant_type", "password", "username", username, "password", password, "scope", scope));
    }

    public TokenResponse refresh(Client client, String refreshToken) {
        return token(client, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    /** Authorization-code login in this object's cookie jar: the first client signs in, later ones ride the SSO session. */
    public TokenResponse browserLogin(Client client, String username, String password) {
        String authUrl = realmUrl + "/protocol/openid-connect/auth?" + form(Map.of("client_id", client.clientId(),
                "redirect_uri", REDIRECT_URI, "response_type", "code", "scope", "openid"));
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(authUrl)).GET());
        HttpResponse<String> redirect = page.statusCode() == 200 ? submitLoginForm(page, username, password) : page;
        String location = redirect.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("login did not redirect: " + redirect.statusCode() + " " + redirect.body()));
        Matcher code = CODE.matcher(location);
        if (!code.find()) {
            throw new IllegalStateException("no code in " + location);
        }
        return token(client, Map.of("grant_type", "authorization_code", "code", URLDecoder.decode(code.group(1), StandardCharsets.UTF_8),
                "redirect_uri", REDIRECT_URI));
    }

    private HttpResponse<String> submitLoginForm(HttpResponse<String> page, String username, String password) {
        Matcher action = LOGIN_FORM_ACTION.matcher(page.body());
        if (!action.find()) {
            throw new IllegalStateException("no login form at " + page.uri() + ": " + page.body());
        }
        return send(HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", username, "password", password, "credentialId", "")))));
    }

    /** RP-initiated logout through the back channel (the refresh token names the session); returns the HTTP status. */
    int logout(Client client, String refreshToken) {
        return post("/protocol/openid-connect/logout", client, Map.of("refresh_token", refreshToken)).statusCode();
    }

    public int userInfoStatus(String accessToken) {
        return send(HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET()).statusCode();
    }

    public boolean introspectionActive(Client client, String token) {
        HttpResponse<String> response = post("/protocol/openid-connect/token/introspect", client, Map.of("token", token));
        return json(response).path("active").asBoolean();
    }

    private TokenResponse token(Client client, Map<String, String> params) {
        HttpResponse<String> response = post("/protocol/openid-connect/token", client, params);
        return new TokenResponse(response.statusCode(), json(response));
    }

    private HttpResponse<String> post(String path, Client client, Map<String, String> params) {
        Map<String, String> body = new LinkedHashMap<>(params);
        body.put("client_id", client.clientId());
        body.put("client_secret", client.secret());
        return send(HttpRequest.newBuilder(URI.create(realmUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(body))));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JsonSerialization.mapper.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
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

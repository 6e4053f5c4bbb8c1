package dev.keybridge.it.brokers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.keycloak.util.JsonSerialization;

/**
 * A local stand-in for Apple, Google, Microsoft or Facebook Limited Login: a real JWKS of generated keys that can rotate, ID tokens
 * signed with them, and (Apple) an authorize endpoint answering with a form_post page and a token
 * endpoint that accepts only a valid ES256 client secret. Keycloak, a separate process on this
 * machine, reaches it over 127.0.0.1.
 */
public final class FakeProvider {

    /** A signing key the provider publishes. */
    public record SigningKey(String kid, String alg, KeyPair pair) {
    }

    /** What the authorize endpoint remembers until the code is redeemed. */
    private record Authorization(String redirectUri, String nonce, String subject, String email) {
    }

    /** The client-secret audience Apple requires, whatever URL its endpoints are reached under. */
    public static final String APPLE_AUDIENCE = "https://appleid.apple.com";
    /** Stands for the tenant id in the fake Microsoft's issuer, as in Microsoft's own. */
    public static final String TENANT_PLACEHOLDER = "{tenantid}";

    private static final HttpServer SERVER = start();
    private static final Map<String, FakeProvider> PROVIDERS = new ConcurrentHashMap<>();

    private final String name;
    private final String issuer;
    private final List<SigningKey> keys = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final Map<String, Authorization> codes = new ConcurrentHashMap<>();
    private final List<String> tokenRequestErrors = new CopyOnWriteArrayList<>();
    private volatile KeyPair clientSecretKey;
    private volatile String teamId;
    private volatile String expectedClientId;
    private volatile String clientSecretAudience = APPLE_AUDIENCE;
    private volatile String nextAuthorizeError;
    private volatile String nextUser;
    private volatile String nextSubject;
    private volatile String nextEmail;
    private volatile Duration jwksDelay = Duration.ZERO;
    private volatile boolean jwksDown;

    private FakeProvider(String name, String issuer) {
        this.name = name;
        this.issuer = issuer;
        rotateKey("RS256");
    }

    /** The fake Apple: issuer = its base URL, as Apple's issuer is its base URL. */
    public static FakeProvider apple() {
        return apple("apple");
    }

    /** Another fake Apple under its own base URL, so Keycloak caches its keys apart from the others. */
    public static FakeProvider apple(String name) {
        return PROVIDERS.computeIfAbsent(name, n -> {
            FakeProvider apple = new FakeProvider(n, baseUrlOf(n));
            SERVER.createContext("/" + n + "/auth/authorize", apple::authorize);
            SERVER.createContext("/" + n + "/auth/token", apple::token);
            return apple;
        });
    }

    /** The fake Google: its tokens carry Google's real issuer, only the key URL is local. */
    public static FakeProvider google() {
        return PROVIDERS.computeIfAbsent("google", n -> new FakeProvider(n, "https://accounts.google.com"));
    }

    /**
     * The fake Microsoft: one key set for every tenant, as Microsoft's; each tenant has its own issuer, the fake's
     * {@link #issuer()} with {@value #TENANT_PLACEHOLDER} replaced by the tenant id.
     */
    public static FakeProvider microsoft() {
        return PROVIDERS.computeIfAbsent("microsoft", n -> new FakeProvider(n, baseUrlOf(n) + "/" + TENANT_PLACEHOLDER + "/v2.0"));
    }

    /** Claims of a valid Microsoft v2.0 ID token: the tenant's issuer, tid, oid, a pairwise sub and Microsoft's uti instead of jti. */
    public Map<String, Object> microsoftClaims(String tenant, String oid, String audience) {
        Map<String, Object> claims = claims("pairwise-" + oid, audience);
        claims.remove("jti");
        issuedBy(tenant, claims);
        claims.put("tid", tenant);
        claims.put("oid", oid);
        claims.put("ver", "2.0");
        claims.put("uti", UUID.randomUUID().toString());
        return claims;
    }

    /** The claims with the issuer of another tenant than their {@code tid}. */
    public Map<String, Object> issuedBy(String tenant, Map<String, Object> claims) {
        claims.put("iss", issuer.replace(TENANT_PLACEHOLDER, tenant));
        return claims;
    }

    /** The claims, expired an hour ago. */
    public static Map<String, Object> expired(Map<String, Object> claims) {
        long now = Instant.now().getEpochSecond();
        claims.put("exp", now - 3600);
        claims.put("iat", now - 4000);
        return claims;
    }

    /** The fake Facebook Limited Login: its ID tokens carry Facebook's real issuer, only the key URL is local. */
    public static FakeProvider facebook() {
        return PROVIDERS.computeIfAbsent("facebook", n -> new FakeProvider(n, "https://www.facebook.com"));
    }

    /** Another stand-in served under {@code /prefix/} of this server (the Graph API: {@link FakeGraph}); returns its base URL. */
    static String serve(String prefix, HttpHandler handler) {
        SERVER.createContext("/" + prefix + "/", handler);
        return baseUrlOf(prefix);
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 20);
            // a deliberately slow JWKS answer must not hold up the other endpoints
            server.setExecutor(Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "fake-provider");
                thread.setDaemon(true);
                return thread;
            }));
            server.createContext("/", exchange -> {
                String[] path = exchange.getRequestURI().getPath().split("/");
                FakeProvider provider = path.length > 1 ? PROVIDERS.get(path[1]) : null;
                if (provider != null && exchange.getRequestURI().getPath().endsWith("/auth/keys")) {
                    provider.jwks(exchange);
                } else {
                    respond(exchange, 404, "text/plain", "not found");
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String baseUrlOf(String name) {
        return "http://127.0.0.1:" + SERVER.getAddress().getPort() + "/" + name;
    }

    public String baseUrl() {
        return baseUrlOf(name);
    }

    public String jwksUrl() {
        return baseUrl() + "/auth/keys";
    }

    public String issuer() {
        return issuer;
    }

    public int jwksRequests() {
        return jwksRequests.get();
    }

    public List<String> tokenRequestErrors() {
        return List.copyOf(tokenRequestErrors);
    }

    /** Publishes a new signing key next to the old ones and signs with it from now on. */
    public SigningKey rotateKey(String alg) {
        SigningKey key = new SigningKey(name + "-" + UUID.randomUUID(), alg, generate(alg));
        keys.add(key);
        return key;
    }

    public SigningKey currentKey() {
        return keys.get(keys.size() - 1);
    }

    /** A key the JWKS never publishes: tokens signed with it name a kid Keycloak can't find. */
    public static SigningKey unpublishedKey() {
        return new SigningKey("unpublished-" + UUID.randomUUID(), "RS256", generate("RS256"));
    }

    /** From now on the JWKS endpoint answers only after this delay (a provider that is slow). */
    public void slowJwks(Duration delay) {
        this.jwksDelay = delay;
    }

    /** From now on the JWKS endpoint answers 503 (a provider that is down), or again normally. */
    public void jwksDown(boolean down) {
        this.jwksDown = down;
    }

    /** Apple's token endpoint checks client secrets against this team, client id and key. */
    public void expectClientSecret(String teamId, String clientId, KeyPair key) {
        this.teamId = teamId;
        this.expectedClientId = clientId;
        this.clientSecretKey = key;
    }

    /** The token endpoint accepts client secrets only with this aud (default {@link #APPLE_AUDIENCE}). */
    public void expectClientSecretAudience(String audience) {
        this.clientSecretAudience = audience;
    }

    /** The next authorize request answers with this error (e.g. user_cancelled_authorize) instead of a code. */
    public void failNextAuthorize(String error) {
        this.nextAuthorizeError = error;
    }

    /**
     * The person who signs in at the next authorize request, and the first-login user JSON Apple posts.
     * A null email leaves email and email_verified out of the ID token.
     */
    public void nextSignIn(String subject, String email, String userJson) {
        this.nextSubject = subject;
        this.nextEmail = email;
        this.nextUser = userJson;
    }

    /** Claims of a valid ID token for the given audience, valid from now for ten minutes. */
    public Map<String, Object> claims(String subject, String audience) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("sub", subject);
        claims.put("iat", now);
        claims.put("exp", now + 600);
        if (!issuer.equals(baseUrl())) {
            claims.put("jti", UUID.randomUUID().toString()); // Google's ID tokens carry one, Apple's don't
        }
        return claims;
    }

    /** Claims of another token for the same sign-in: issued a second earlier, with a new jti when there is one. */
    public static Map<String, Object> reissued(Map<String, Object> claims) {
        Map<String, Object> next = new LinkedHashMap<>(claims);
        next.put("iat", ((Number) claims.get("iat")).longValue() - 1);
        if (claims.containsKey("jti")) {
            next.put("jti", UUID.randomUUID().toString());
        }
        return next;
    }

    public String sign(Map<String, Object> claims) {
        return sign(claims, currentKey());
    }

    public static String sign(Map<String, Object> claims, SigningKey key) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", key.alg());
        header.put("kid", key.kid());
        header.put("typ", "JWT");
        String signingInput = base64Json(header) + "." + base64Json(claims);
        String jca = key.alg().startsWith("ES") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA";
        return signingInput + "." + base64(signature(jca, key.pair().getPrivate(), signingInput));
    }

    /** An {@code alg:none} token naming the key: no signature at all. */
    public static String unsigned(Map<String, Object> claims, SigningKey key) {
        return base64Json(Map.of("alg", "none", "kid", key.kid())) + "." + base64Json(claims) + ".";
    }

    /** The classic confusion attack: HS256 with the provider's public key as the shared secret. */
    public static String hmacWithPublicKey(Map<String, Object> claims, SigningKey key) {
        try {
            String input = base64Json(Map.of("alg", "HS256", "kid", key.kid())) + "." + base64Json(claims);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.pair().getPublic().getEncoded(), "HmacSHA256"));
            return input + "." + base64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] signature(String jcaAlgorithm, PrivateKey key, String signingInput) {
        try {
            Signature signer = Signature.getInstance(jcaAlgorithm);
            signer.initSign(key);
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair generate(String alg) {
        try {
            if (alg.startsWith("ES")) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String base64Json(Object value) {
        try {
            return base64(JsonSerialization.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksRequests.incrementAndGet();
        try {
            Thread.sleep(jwksDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (jwksDown) {
            respond(exchange, 503, "text/plain", "service unavailable");
            return;
        }
        List<Map<String, Object>> jwks = new ArrayList<>();
        for (SigningKey key : keys) {
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kid", key.kid());
            jwk.put("use", "sig");
            jwk.put("alg", key.alg());
            PublicKey publicKey = key.pair().getPublic();
            if (publicKey instanceof RSAPublicKey rsa) {
                jwk.put("kty", "RSA");
                jwk.put("n", unsigned(rsa.getModulus()));
                jwk.put("e", unsigned(rsa.getPublicExponent()));
            } else if (publicKey instanceof ECPublicKey ec) {
                jwk.put("kty", "EC");
                jwk.put("crv", "P-256");
                jwk.put("x", unsigned(ec.getW().getAffineX(), 32));
                jwk.put("y", unsigned(ec.getW().getAffineY(), 32));
            }
            jwks.add(jwk);
        }
        respond(exchange, 200, "application/json", JsonSerialization.writeValueAsString(Map.of("keys", jwks)));
    }

    /** Apple's authorize step, after the person agreed: an auto-submitting form to the redirect URI. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String redirectUri = query.get("redirect_uri");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("state", query.get("state"));
        String error = nextAuthorizeError;
        nextAuthorizeError = null;
        if (error != null) {
            fields.put("error", error);
        } else {
            String code = UUID.randomUUID().toString();
            codes.put(code, new Authorization(redirectUri, query.get("nonce"), nextSubject, nextEmail));
            fields.put("code", code);
            if (nextUser != null) {
                fields.put("user", nextUser);
            }
        }
        StringBuilder html = new StringBuilder("<html><body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"")
                .append(redirectUri).append("\">");
        fields.forEach((k, v) -> html.append("<input type=\"hidden\" name=\"").append(k).append("\" value=\"")
                .append(v.replace("&", "&amp;").replace("\"", "&quot;")).append("\"/>"));
        html.append("</form></body></html>");
        respond(exchange, 200, "text/html", html.toString());
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String problem = checkClientSecret(form.get("client_id"), form.get("client_secret"));
        if (problem != null) {
            tokenRequestErrors.add(problem);
            respond(exchange, 400, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        Authorization authorization = codes.remove(form.getOrDefault("code", ""));
        if (authorization == null || !authorization.redirectUri().equals(form.get("redirect_uri"))) {
            tokenRequestErrors.add("unknown code or redirect_uri mismatch");
            respond(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        Map<String, Object> claims = claims(authorization.subject(), expectedClientId);
        if (authorization.nonce() != null) {
            claims.put("nonce", authorization.nonce());
        }
        if (authorization.email() != null) {
            claims.put("email", authorization.email());
            claims.put("email_verified", "true");
        }
        Map<String, Object> response = new HashMap<>();
        response.put("access_token", UUID.randomUUID().toString());
        response.put("token_type", "Bearer");
        response.put("expires_in", 3600);
        response.put("id_token", sign(claims));
        respond(exchange, 200, "application/json", JsonSerialization.writeValueAsString(response));
    }

    /** The checks Apple makes on client_secret: ES256, signed by the registered key, iss/sub/aud/exp right. */
    private String checkClientSecret(String clientId, String clientSecret) {
        if (clientSecret == null || !clientSecret.matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+")) {
            return "client_secret is not a JWT";
        }
        try {
            String[] parts = clientSecret.split("\\.");
            Map<String, Object> header = JsonSerialization.readValue(Base64.getUrlDecoder().decode(parts[0]), new TypeReference<>() {
            });
            Map<String, Object> claims = JsonSerialization.readValue(Base64.getUrlDecoder().decode(parts[1]), new TypeReference<>() {
            });
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(clientSecretKey.getPublic());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!"ES256".equals(header.get("alg")) || !verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "client_secret signature invalid";
            }
            long exp = ((Number) claims.get("exp")).longValue();
            boolean valid = teamId.equals(claims.get("iss")) && expectedClientId.equals(claims.get("sub"))
                    && expectedClientId.equals(clientId) && clientSecretAudience.equals(claims.get("aud"))
                    && exp > Instant.now().getEpochSecond() && exp - Instant.now().getEpochSecond() <= 15777000;
            return valid ? null : "client_secret claims wrong: " + claims;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return "client_secret unreadable: " + e;
        }
    }

    public static Map<String, String> form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return base64(bytes[0] == 0 && bytes.length > 1 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }

    private static String unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, fixed, length - copy, copy);
        return base64(fixed);
    }

    static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (InputStream ignored = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            out.write(bytes);
        }
    }
}

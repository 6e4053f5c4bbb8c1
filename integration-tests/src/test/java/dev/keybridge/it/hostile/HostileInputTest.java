package dev.keybridge.it.hostile;

import static dev.keybridge.it.hostile.HostileRealm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keybridge.broker.nativesignin.NativeSignInGrantTypeFactory;
import dev.keybridge.it.brokers.BrokerRealm;
import dev.keybridge.it.brokers.FakeGraph;
import dev.keybridge.it.brokers.FakeProvider;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.ServerLog;
import dev.keybridge.it.hostile.Endpoint.Credential;
import dev.keybridge.it.hostile.HostileCorpus.Attack;
import dev.keybridge.it.tapis.TapisRealm;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.util.JsonSerialization;

/**
 * Every Keybridge endpoint against the hostile corpus ({@link HostileCorpus}): at least 200 malformed or hostile
 * requests each. None may get a 5xx or a stack trace, every refusal must be in the endpoint's documented error shape,
 * the realm's users and sessions must be as before, live tokens must still work, and the server log must show no
 * ERROR line or stack trace meanwhile.
 */
@KeycloakIntegrationTest
class HostileInputTest {

    private static final int MIN_REQUESTS_PER_ENDPOINT = 200;
    private static final int THREADS = 4;
    private static final List<String> TRACE_MARKERS = List.of("at org.", "at java.", "Exception", "java.", "\tat ");
    /**
     * Refusals by Keycloak's HTTP layer and router before any endpoint runs (request line, headers or body too large; no
     * endpoint at that path or method, or none producing the Accept'ed type), in Keycloak's own shape or without a body.
     */
    private static final Set<Integer> BEFORE_ENDPOINT = Set.of(404, 405, 406, 413, 414, 415, 431);
    /** The errors of Keycloak's request filters, which refuse control characters in query values and unnormalized paths. */
    private static final List<String> KEYCLOAK_REQUEST_FILTER = List.of("Blocking invalid query parameter value", "invalidCharacter",
            "missingNormalization");
    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    @InjectRealm(config = HostileRealm.class)
    ManagedRealm realm;

    @InjectRealm(ref = "elsewhere", config = HostileRealm.Elsewhere.class)
    ManagedRealm elsewhere;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** One request's verdict. */
    private record Outcome(Attack attack, int status, String problem) {
    }

    @Test
    void everyEndpointWithstandsTheHostileCorpus() throws Exception {
        // live credentials for read-only endpoints, taken before the "before" picture
        String viewer = grant(realm, Map.of("client_id", OPENK_CLIENT, "username", VIEWER)).path("access_token").asText();
        String ertisMember = grant(realm, Map.of("client_id", ERTIS_CLIENT, "username", MEMBER)).path("access_token").asText();
        String wxAdmin = grant(realm, Map.of("client_id", WATCHEREX_CLIENT, "client_secret", WATCHEREX_SECRET, "username", WX_ADMIN))
                .path("access_token").asText();
        Map<String, String> dead = deadTokens(viewer);

        List<Endpoint> endpoints = endpoints(viewer, ertisMember, wxAdmin, dead);
        Map<String, Object> before = state();
        int logMark = ServerLog.lines().size();

        List<Attack> attacks = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            attacks.addAll(HostileCorpus.attacks(realm.getBaseUrl(), endpoint, dead));
        }
        Collections.shuffle(attacks, new java.util.Random(11));
        long started = System.nanoTime();
        List<Outcome> outcomes = run(attacks);
        long seconds = (System.nanoTime() - started) / 1_000_000_000;

        List<String> serverProblems = ServerLog.lines().stream().skip(logMark)
                .filter(line -> line.contains(" ERROR ") || line.startsWith("\tat ") || line.matches("^[\\w.$]+(Exception|Error)(:.*)?$"))
                .limit(40).toList();
        Map<String, Object> after = state();
        printCounts(endpoints, outcomes, seconds);

        // one line per endpoint, category and problem, with how often it happened
        Map<String, Long> failures = outcomes.stream().filter(o -> o.problem() != null)
                .collect(Collectors.groupingBy(o -> label(o.attack().endpoint()) + " [" + o.attack().category() + "] "
                        + o.problem().substring(0, Math.min(160, o.problem().length())), TreeMap::new, Collectors.counting()));
        assertTrue(failures.isEmpty(), failures.values().stream().mapToLong(Long::longValue).sum() + " bad answers:\n"
                + failures.entrySet().stream().map(e -> e.getValue() + "x " + e.getKey()).collect(Collectors.joining("\n")));
        Map<Endpoint, Long> perEndpoint = outcomes.stream().collect(Collectors.groupingBy(o -> o.attack().endpoint(), Collectors.counting()));
        endpoints.forEach(endpoint -> assertTrue(perEndpoint.getOrDefault(endpoint, 0L) >= MIN_REQUESTS_PER_ENDPOINT,
                endpoint + " got only " + perEndpoint.get(endpoint) + " requests"));
        assertEquals(before, after, "users and sessions of the realm changed");
        assertTrue(serverProblems.isEmpty(), "server log shows errors:\n" + String.join("\n", serverProblems));
        // nothing the corpus sent revoked the live tokens
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/openk/checkAuth"))
                .header("Authorization", "Bearer " + viewer).GET().build()).statusCode());
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/ertis/api/v1/me"))
                .header("Authorization", "Bearer " + ertisMember).GET().build()).statusCode());
    }

    /** Every path and method of every realm resource, and the token-endpoint grants Keybridge adds or changes. */
    private List<Endpoint> endpoints(String viewer, String ertisMember, String wxAdmin, Map<String, String> dead) {
        String alias = realm.getName();
        String forged = dead.get("forged signature");
        String idToken = dead.get("id token, unknown key");
        String tapisBasic = HostileCorpus.base64(TAPIS_CLIENT + ":" + TAPIS_SECRET);
        List<Endpoint> endpoints = new ArrayList<>(List.of(
                Endpoint.of("GET", "openk/usersForRole/{userRole}", ErrorShape.OAUTH).path("userRole", "offline_access")
                        .query("first", "0").query("max", "10").query("briefRepresentation", "true").credential(Credential.bearer(viewer)),
                Endpoint.of("GET", "openk/userModulesForUser", ErrorShape.OAUTH).credential(Credential.bearer(viewer)),
                Endpoint.of("POST", "openk/login", ErrorShape.OAUTH).json("userName", "nobody-here", "password", "wrong-password"),
                Endpoint.of("POST", "openk/logout", ErrorShape.OAUTH).credential(Credential.bearer(forged)),
                Endpoint.of("GET", "openk/checkAuth", ErrorShape.OAUTH).credential(Credential.bearer(viewer)),
                Endpoint.of("GET", "openk/versionInfo", ErrorShape.OAUTH),
                Endpoint.of("GET", "openk/healthcheck", ErrorShape.OAUTH).query("pretty", "true"),
                Endpoint.of("GET", "openk/healthcheck/pretty=true", ErrorShape.OAUTH),
                Endpoint.of("OPTIONS", "openk/{any}", ErrorShape.OAUTH).path("any", "login").header("Origin", "https://portal.example")
                        .header("Access-Control-Request-Method", "POST"),

                Endpoint.of("GET", "tapis/v3/tokens/hello", ErrorShape.TAPIS),
                Endpoint.of("GET", "tapis/v3/tokens/ready", ErrorShape.TAPIS),
                Endpoint.of("POST", "tapis/v3/tokens", ErrorShape.TAPIS)
                        .json("account_type", "user", "token_tenant_id", TapisRealm.TENANT, "token_username", "nobody-here",
                                "target_site_id", "tacc", "access_token_ttl", 300, "generate_refresh_token", true, "claims.extra", "x")
                        .credential(Credential.basic(tapisBasic)),
                Endpoint.of("PUT", "tapis/v3/tokens", ErrorShape.TAPIS).json().credential(Credential.field("refresh_token", forged)),
                Endpoint.of("POST", "tapis/v3/tokens/revoke", ErrorShape.TAPIS).json().credential(Credential.field("token", forged)),

                ertis(Endpoint.of("POST", "ertis/api/v1/generate-token", ErrorShape.ERTIS), alias)
                        .json("username", "nobody-here", "password", "wrong-password"),
                ertis(Endpoint.of("POST", "ertis/api/v1/oauth/{provider}/login", ErrorShape.ERTIS), alias).path("provider", "google")
                        .json().credential(Credential.field("token.idToken", idToken)),
                ertis(Endpoint.of("POST", "ertis/api/v1/oauth/{provider}/login", ErrorShape.ERTIS), alias).path("provider", "microsoft")
                        .json("clientId", "app-id").credential(Credential.field("token.idToken", idToken)),
                ertis(Endpoint.of("POST", "ertis/api/v1/oauth/facebook/login", ErrorShape.ERTIS), alias)
                        .json("appId", FakeGraph.APP_ID, "user.userID", "10001").credential(Credential.field("user.accessToken", forged)),
                Endpoint.of("GET", "ertis/api/v1/me", ErrorShape.ERTIS).credential(Credential.bearer(ertisMember)),
                Endpoint.of("GET", "ertis/api/v1/whoami", ErrorShape.ERTIS).credential(Credential.bearer(ertisMember)),
                Endpoint.of("GET", "ertis/api/v1/verify-token", ErrorShape.ERTIS).credential(Credential.bearer(ertisMember)),
                Endpoint.of("POST", "ertis/api/v1/verify-token", ErrorShape.ERTIS).json().credential(Credential.field("token", ertisMember)),
                Endpoint.of("GET", "ertis/api/v1/refresh-token", ErrorShape.ERTIS).credential(Credential.bearer(forged)),
                Endpoint.of("POST", "ertis/api/v1/refresh-token", ErrorShape.ERTIS).json().credential(Credential.field("token", forged)),
                Endpoint.of("GET", "ertis/api/v1/revoke-token", ErrorShape.ERTIS_BARE_401).query("logout-all", "true")
                        .credential(Credential.bearer(forged)),
                Endpoint.of("POST", "ertis/api/v1/revoke-token", ErrorShape.ERTIS_BARE_401).query("logout-all", "true")
                        .json().credential(Credential.field("token", forged)),
                Endpoint.of("GET", "ertis/api/v1/healthcheck", ErrorShape.ERTIS),
                Endpoint.of("OPTIONS", "ertis/{any}", ErrorShape.ERTIS).path("any", "api/v1/me").header("Origin", "https://app.example"),

                // sign-up names a taken email and passwords the policy refuses, so no single replacement creates a user
                Endpoint.of("POST", "timelapseme/api/v1/signup/credentials", ErrorShape.PLAIN_TEXT_400)
                        .json("email", MEMBER + "@example.org", "password", "short-pw", "passwordConfirm", "short-pw", "nickname", "nick"),
                Endpoint.of("POST", "timelapseme/api/v1/auth/credentials", ErrorShape.PLAIN_TEXT_400)
                        .json("email", "nobody@example.org", "password", "wrong-password"),
                Endpoint.of("POST", "timelapseme/api/v1/signup/{provider}", ErrorShape.PLAIN_TEXT_400).path("provider", "google")
                        .json().credential(Credential.field("jwt", idToken)),
                Endpoint.of("POST", "timelapseme/api/v1/auth/{provider}", ErrorShape.PLAIN_TEXT_400).path("provider", "apple")
                        .json().credential(Credential.field("jwt", idToken)),
                Endpoint.of("POST", "timelapseme/api/v1/refresh", ErrorShape.PLAIN_TEXT_400).json()
                        .credential(Credential.field("refreshToken", forged)),
                Endpoint.of("OPTIONS", "timelapseme/{any}", ErrorShape.PLAIN_TEXT_400).path("any", "api/v1/refresh"),

                Endpoint.of("POST", "watcherex/api/v1/auth/protocol/openid-connect/token", ErrorShape.WATCHEREX)
                        .json("grant_type", "password", "client_id", WATCHEREX_CLIENT, "client_secret", WATCHEREX_SECRET,
                                "username", "nobody-here", "password", "wrong-password", "scope", "openid", "otp", "123456"),
                Endpoint.of("POST", "watcherex/api/v1/auth/protocol/openid-connect/revoke", ErrorShape.WATCHEREX)
                        .json("refresh_token", forged).credential(Credential.field("access_token", forged)),
                Endpoint.of("POST", "watcherex/admin/v1/sessions/logout", ErrorShape.WATCHEREX).credential(Credential.bearer(forged)),
                Endpoint.of("POST", "watcherex/admin/v1/sessions/logout-all-sessions", ErrorShape.WATCHEREX)
                        .credential(Credential.bearer(forged)),
                // a taken username and a too-short password: no single replacement creates a user
                Endpoint.of("POST", "watcherex/admin/v1/users", ErrorShape.WATCHEREX)
                        .json("username", WX_ADMIN, "password.value", "short", "status", "active", "permission.scopes", List.of("reader"))
                        .credential(Credential.bearer(wxAdmin)),
                Endpoint.of("OPTIONS", "watcherex/{any}", ErrorShape.WATCHEREX).path("any", "admin/v1/users"),

                Endpoint.of("POST", "protocol/openid-connect/token", ErrorShape.OAUTH)
                        .form("grant_type", NativeSignInGrantTypeFactory.PROVIDER_ID, "client_id", MOBILE_CLIENT, "subject_issuer", "google")
                        .credential(Credential.field("subject_token", idToken)),
                Endpoint.of("POST", "protocol/openid-connect/token", ErrorShape.OAUTH)
                        .form("grant_type", TOKEN_EXCHANGE, "client_id", MOBILE_CLIENT, "subject_issuer", "apple",
                                "subject_token_type", "urn:ietf:params:oauth:token-type:id_token", "scope", "openid")
                        .credential(Credential.field("subject_token", idToken)),
                Endpoint.of("POST", "protocol/openid-connect/token", ErrorShape.OAUTH)
                        .form("grant_type", TOKEN_EXCHANGE, "client_id", MOBILE_CLIENT, "subject_issuer", "facebook",
                                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "facebook_user_id", "10001")
                        .credential(Credential.field("subject_token", forged)),
                Endpoint.of("POST", "protocol/openid-connect/token", ErrorShape.OAUTH)
                        .form("grant_type", "refresh_token", "client_id", ROTATING_CLIENT, "client_secret", ROTATING_SECRET)
                        .credential(Credential.field("refresh_token", forged))));
        endpoints.add(Endpoint.of("POST", "watcherex/api/v1/auth/protocol/openid-connect/token", ErrorShape.WATCHEREX)
                .json("grant_type", "refresh_token", "client_id", WATCHEREX_CLIENT, "client_secret", WATCHEREX_SECRET)
                .credential(Credential.field("refresh_token", forged)));
        return endpoints;
    }

    private static Endpoint ertis(Endpoint endpoint, String alias) {
        return endpoint.header("X-Ertis-Alias", alias).header("X-IpAddress", "203.0.113.7").header("X-UserAgent", "ErtisClient/1.0");
    }

    /**
     * Tokens that must not work in the realm: from another realm, expired, revoked (their session logged out), rotated
     * away, forged in several ways, and Apple/Google ID tokens the brokers must refuse.
     */
    private Map<String, String> deadTokens(String live) throws Exception {
        Map<String, String> dead = new LinkedHashMap<>();
        String[] parts = live.split("\\.");
        ObjectNode claims = (ObjectNode) JsonSerialization.mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
        claims.put("sub", "00000000-0000-0000-0000-000000000000");
        claims.put("exp", claims.path("exp").asLong() + 86_400);
        String tampered = base64Url(JsonSerialization.writeValueAsBytes(claims));
        dead.put("forged signature", parts[0] + "." + tampered + "." + parts[2]);
        dead.put("alg none", base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + tampered + ".");
        dead.put("signature stripped", parts[0] + "." + parts[1] + ".");
        String hsHeader = base64Url(("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + "k".repeat(40) + "\"}").getBytes(StandardCharsets.UTF_8));
        dead.put("HS256 with a guessed key", hsHeader + "." + tampered + "." + hmac(hsHeader + "." + tampered));
        dead.put("header of another kid", base64Url("{\"alg\":\"RS256\",\"kid\":\"../../../etc/passwd\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + "." + parts[2]);
        dead.put("four parts", live + ".extra");
        dead.put("junk segments", "a.b.c");
        dead.put("not base64", "!!!.@@@.###");
        dead.put("json header only", base64Url("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)));
        dead.put("long junk", "eyJ" + "A".repeat(6000));

        JsonNode openk = grant(realm, Map.of("client_id", OPENK_CLIENT, "username", LEAVER));
        JsonNode ertis = grant(realm, Map.of("client_id", ERTIS_CLIENT, "username", LEAVER));
        JsonNode timelapseme = grant(realm, Map.of("client_id", TIMELAPSEME_CLIENT, "username", LEAVER));
        JsonNode watcherex = grant(realm, Map.of("client_id", WATCHEREX_CLIENT, "client_secret", WATCHEREX_SECRET, "username", LEAVER));
        JsonNode rotating = grant(realm, Map.of("client_id", ROTATING_CLIENT, "client_secret", ROTATING_SECRET, "username", LEAVER));
        JsonNode rotated = post(realm, Map.of("grant_type", "refresh_token", "client_id", ROTATING_CLIENT, "client_secret", ROTATING_SECRET,
                "refresh_token", rotating.path("refresh_token").asText()));
        dead.put("revoked openK access", openk.path("access_token").asText());
        dead.put("revoked openK refresh", openk.path("refresh_token").asText());
        dead.put("revoked openK id token", openk.path("id_token").asText());
        dead.put("revoked ErtisAuth access", ertis.path("access_token").asText());
        dead.put("revoked ErtisAuth refresh", ertis.path("refresh_token").asText());
        dead.put("revoked TimeLapseMe refresh", timelapseme.path("refresh_token").asText());
        dead.put("revoked WatcherEx access", watcherex.path("access_token").asText());
        dead.put("revoked WatcherEx refresh", watcherex.path("refresh_token").asText());
        dead.put("rotated-away refresh", rotating.path("refresh_token").asText());
        dead.put("revoked rotating refresh", rotated.path("refresh_token").asText());
        String leaverId = realm.admin().users().search(LEAVER, true).get(0).getId();
        realm.admin().users().get(leaverId).logout();

        JsonNode foreignOpenk = grant(elsewhere, Map.of("client_id", OPENK_CLIENT, "username", VIEWER));
        dead.put("other realm openK access", foreignOpenk.path("access_token").asText());
        dead.put("other realm openK refresh", foreignOpenk.path("refresh_token").asText());
        dead.put("other realm ErtisAuth access", grant(elsewhere, Map.of("client_id", ERTIS_CLIENT, "username", VIEWER)).path("access_token").asText());
        dead.put("other realm rotating refresh", grant(elsewhere, Map.of("client_id", ROTATING_CLIENT, "client_secret", ROTATING_SECRET,
                "username", VIEWER)).path("refresh_token").asText());

        FakeProvider google = FakeProvider.google();
        FakeProvider apple = FakeProvider.apple();
        Map<String, Object> stranger = google.claims("google-stranger", BrokerRealm.GOOGLE_ANDROID_CLIENT);
        stranger.put("email", "stranger@example.org");
        stranger.put("email_verified", true);
        dead.put("id token, unknown key", FakeProvider.sign(stranger, FakeProvider.unpublishedKey()));
        Map<String, Object> wrongAudience = new LinkedHashMap<>(stranger);
        wrongAudience.put("aud", "someone-else.apps.googleusercontent.com");
        dead.put("id token, wrong audience", google.sign(wrongAudience));
        Map<String, Object> expired = new LinkedHashMap<>(stranger);
        expired.put("exp", 1_000_000_000L);
        expired.put("iat", 999_999_000L);
        dead.put("id token, expired", google.sign(expired));
        Map<String, Object> appleForGoogle = apple.claims("apple-stranger", BrokerRealm.BUNDLE_ID);
        appleForGoogle.put("iss", "https://accounts.google.com");
        dead.put("id token, Apple-signed Google issuer", apple.sign(appleForGoogle));

        // last: its access token lives one second, so it is expired by the time the corpus runs
        JsonNode shortLived = grant(realm, Map.of("client_id", SHORT_LIVED_CLIENT, "username", LEAVER));
        dead.put("expired access", shortLived.path("access_token").asText());
        realm.admin().users().get(leaverId).logout();
        long expiresAt = JsonSerialization.mapper.readTree(Base64.getUrlDecoder().decode(shortLived.path("access_token").asText().split("\\.")[1]))
                .path("exp").asLong() * 1000;
        Thread.sleep(Math.max(0, expiresAt + 1100 - System.currentTimeMillis()));
        return dead;
    }

    /** What the corpus must not change: the users (with their links and roles) and the sessions of the realm. */
    private Map<String, Object> state() {
        Map<String, Object> state = new TreeMap<>();
        List<UserRepresentation> users = realm.admin().users().list(0, 1000);
        state.put("user count", realm.admin().users().count());
        for (UserRepresentation user : users) {
            var resource = realm.admin().users().get(user.getId());
            state.put("user " + user.getUsername(), List.of(user.getId(), user.isEnabled(), String.valueOf(user.getEmail()),
                    String.valueOf(new TreeMap<>(user.getAttributes() == null ? Map.of() : user.getAttributes())),
                    String.valueOf(user.getRequiredActions()),
                    resource.getFederatedIdentity().stream().map(link -> link.getIdentityProvider() + ":" + link.getUserId()).sorted().toList(),
                    resource.roles().realmLevel().listAll().stream().map(role -> role.getName()).sorted().toList()));
            state.put("sessions " + user.getUsername(), resource.getUserSessions().stream()
                    .map(s -> s.getId() + " " + new TreeMap<>(s.getClients())).sorted().toList());
        }
        state.put("client session stats", realm.admin().getClientSessionStats().stream()
                .map(stats -> stats.get("clientId") + "=" + stats.get("active") + "/" + stats.get("offline")).sorted().toList());
        return state;
    }

    private List<Outcome> run(List<Attack> attacks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Attack attack : attacks) {
                futures.add(pool.submit(() -> judge(attack)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private Outcome judge(Attack attack) {
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(attack.uri()).timeout(Duration.ofSeconds(60))
                    .method(attack.method(), attack.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(attack.body()));
            attack.headers().forEach(header -> request.header(header.getKey(), header.getValue()));
            response = sendRetryingClosedConnection(request.build());
        } catch (IOException | InterruptedException | IllegalArgumentException e) {
            return new Outcome(attack, 0, "no answer: " + e);
        }
        return new Outcome(attack, response.statusCode(),
                problem(attack, new Http.Response(response.statusCode(), response.body(), response.headers())).orElse(null));
    }

    private static Optional<String> problem(Attack attack, Http.Response response) {
        String body = response.body();
        String sample = body.length() > 200 ? body.substring(0, 200) + "…" : body;
        if (response.status() >= 500) {
            return Optional.of(response.status() + " " + sample);
        }
        for (String marker : TRACE_MARKERS) {
            if (body.contains(marker)) {
                return Optional.of("body holds '" + marker + "': " + sample);
            }
        }
        if (BEFORE_ENDPOINT.contains(response.status()) && (body.isEmpty() || ErrorShape.OAUTH.problem(response).isEmpty())
                || response.status() == 400 && KEYCLOAK_REQUEST_FILTER.stream().anyMatch(error -> body.startsWith("{\"error\":\"" + error + "\""))) {
            return Optional.empty();
        }
        if (response.status() >= 400) {
            return attack.endpoint().shape.problem(response).map(p -> response.status() + " " + p + ": " + sample);
        }
        return Optional.empty();
    }

    private void printCounts(List<Endpoint> endpoints, List<Outcome> outcomes, long seconds) {
        Map<Endpoint, AtomicIntegerArray> counts = new ConcurrentHashMap<>();
        outcomes.forEach(o -> counts.computeIfAbsent(o.attack().endpoint(), e -> new AtomicIntegerArray(6)).incrementAndGet(o.status() / 100));
        StringBuilder table = new StringBuilder(String.format("%nHostile corpus: %d requests in %d s, %d threads%n%-62s %6s %5s %5s %5s %5s %5s%n",
                outcomes.size(), seconds, THREADS, "endpoint", "total", "2xx", "3xx", "4xx", "5xx", "none"));
        int[] totals = new int[6];
        for (Endpoint endpoint : endpoints) {
            AtomicIntegerArray c = counts.get(endpoint);
            int total = 0;
            for (int i = 0; i < 6; i++) {
                total += c.get(i);
                totals[i] += c.get(i);
            }
            table.append(String.format("%-62s %6d %5d %5d %5d %5d %5d%n", label(endpoint), total, c.get(2), c.get(3), c.get(4), c.get(5), c.get(0)));
        }
        table.append(String.format("%-62s %6d %5d %5d %5d %5d %5d%n", "all", outcomes.size(), totals[2], totals[3], totals[4], totals[5], totals[0]));
        System.out.println(table);
    }

    private static String label(Endpoint endpoint) {
        Object grant = endpoint.fields.get("grant_type");
        return grant == null ? endpoint.name : endpoint.name + " (" + grant + ")";
    }

    private JsonNode grant(ManagedRealm target, Map<String, String> params) throws Exception {
        Map<String, String> form = new LinkedHashMap<>(params);
        form.put("grant_type", "password");
        form.put("password", PASSWORD);
        form.put("scope", "openid");
        return post(target, form);
    }

    private JsonNode post(ManagedRealm target, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> HostileCorpus.encode(e.getKey()) + "=" + HostileCorpus.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(target.getBaseUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(200, response.statusCode(), form.get("client_id") + ": " + response.body());
        return JsonSerialization.mapper.readTree(response.body());
    }

    /**
     * Once more on a connection the server had already closed: after refusing a request line or body that is too
     * large, the server closes the connection, and a request sent on it at that moment gets no bytes back.
     */
    private HttpResponse<String> sendRetryingClosedConnection(HttpRequest request) throws IOException, InterruptedException {
        try {
            return send(request);
        } catch (IOException closed) {
            return send(request);
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hmac(String signingInput) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("guessed-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return base64Url(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }
}

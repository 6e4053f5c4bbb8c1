package dev.keybridge.it.hostile;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.keycloak.util.JsonSerialization;

/**
 * The hostile corpus as data, and the generator that turns it into requests for one {@link Endpoint}: every hostile
 * value in every replaceable part, every dead or foreign token in the credential's place, broken and oversized
 * bodies, wrong content types, missing and duplicated headers. No value contains the words the test looks for in
 * leaked stack traces, so an endpoint echoing its input is not mistaken for one leaking a trace.
 */
final class HostileCorpus {

    /** Hostile values for strings: SQL, LDAP, path traversal, unicode, control characters, templates, sizes. */
    static final List<String> VALUES = List.of(
            "", " ", "\t\n", "null", "undefined", "0", "-1", "2147483648", "99999999999999999999999", "1e309", "NaN", "true",
            "' OR '1'='1", "admin'--", "'; DROP TABLE USER_ENTITY; --", "1; SELECT pg_sleep(10)", "\" OR \"\"=\"", "1' UNION SELECT ID FROM REALM --",
            "%", "_", "\\", "*", "*)(uid=*))(|(uid=*", "admin)(&)", "(|(objectClass=*))", "\\2a\\28\\29", "cn=admin,dc=example,dc=org",
            "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "/realms/master", "..%2F..%2Fadmin", "%2e%2e%2f%2e%2e%2f", "....//....//",
            "\u0000", "a\u0000b", "\u0001\u0002\u0003\u0007\u001b[31m", "\r\nX-Injected: 1", "line\nbreak",
            "\u202Egnp.exe", "\u200B\u200C\u200D\uFEFF", "𝕳𝖔𝖘𝖙𝖎𝖑𝖊 🦠🔥💣", "Z̸̢̛̤͖͕̓̈́̎a̵̡̠̓l̶̢̈́g̵̱̈́o̵̠̎", "ｆｕｌｌｗｉｄｔｈ＠ｅｘａｍｐｌｅ．ｏｒｇ",
            "İıſK", "\uFFFF\uFFFE", "${jndi:ldap://127.0.0.1:1/a}", "{{7*7}}", "#{7*7}", "<script>alert(1)</script>", "%s%s%s%n%x",
            "a@b", "a@b@c.d", "\"quoted\"@example.org", "x".repeat(300), "y".repeat(70_000));

    /** Path segments sent as they are (already percent-encoded): traversal and encoding tricks the server must decode safely. */
    static final List<String> RAW_PATH_SEGMENTS = List.of(
            "..%2F..%2F..%2Fmaster", "%2e%2e%2f%2e%2e%2fadmin", "..%252f..%252f", "%c0%ae%c0%ae%2f", "..;", "%00", "a%00b",
            "%ff%fe", "%e2%80%ae", "google%2F..%2Fapple", "%2F%2F%2F", "%5C..%5C..%5C");

    /** Bodies that are not what any endpoint expects. */
    static final Map<String, byte[]> BODIES = bodies();

    /**
     * Content types the body does not have. Left out: media types that do not parse, multipart types on a body that
     * is not multipart, and broken percent-escapes in form bodies. Keycloak 26.7's HTTP layer (RESTEasy Reactive)
     * answers those with a 500 before any provider code runs, on its own endpoints too (keycloak/keycloak#49964,
     * fixed in 26.8; #44712); see the README's security section.
     */
    static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
            "application/json; charset=ebcdic", "application/json; charset=utf-16",
            "application/octet-stream", "*/*", "x/y", "application/json; " + "p=v; ".repeat(200));

    /** Query strings as sent (valid URI syntax, hostile meaning). */
    static final List<String> QUERIES = List.of("first=-1&max=0", "first=abc&max=1e9", "max=2147483648", "pretty=%00",
            "logout-all=true&logout-all=false", "revoke=yes", "a=%25zz", "%3D%3D%3D=%26%26", "x=" + "q".repeat(6000),
            "briefRepresentation=%27%20OR%201%3D1");

    static final List<String> ORIGINS = List.of("null", "https://evil.example", "http://localhost:8080.evil.example", "file://",
            "https://" + "a".repeat(2000) + ".example");

    static final int ONE_MB = 1024 * 1024;
    /** 10 MB in decimal: just under the HTTP layer's body limit (10240 KiB), so the endpoint itself must refuse it. */
    static final int TEN_MB = 10_000_000;

    private HostileCorpus() {
    }

    /** One request of the corpus. */
    record Attack(Endpoint endpoint, String category, String method, URI uri, List<Map.Entry<String, String>> headers, byte[] body) {
    }

    /** A request being derived from an endpoint's base request. */
    static final class Draft {
        final Map<String, String> pathParams;
        final Map<String, String> rawPathParams = new LinkedHashMap<>();
        final Map<String, String> query;
        String rawQuery;
        final List<Map.Entry<String, String>> headers = new ArrayList<>();
        final Map<String, Object> fields;
        String credential;
        String contentType;
        byte[] body;

        Draft(Endpoint endpoint) {
            pathParams = new LinkedHashMap<>(endpoint.pathParams);
            query = new LinkedHashMap<>(endpoint.query);
            endpoint.headers.forEach((name, value) -> headers.add(Map.entry(name, value)));
            fields = new LinkedHashMap<>(endpoint.fields);
            credential = endpoint.credential == null ? null : endpoint.credential.value();
            contentType = switch (endpoint.encoding) {
                case JSON -> "application/json";
                case FORM -> "application/x-www-form-urlencoded";
                case NONE -> null;
            };
        }

        void header(String name, String value) {
            headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
            headers.add(Map.entry(name, value));
        }
    }

    /**
     * Every request of the corpus for one endpoint.
     *
     * @param deadTokens foreign, expired, revoked and forged tokens by name; none may be alive in the endpoint's realm
     */
    static List<Attack> attacks(String realmUrl, Endpoint endpoint, Map<String, String> deadTokens) {
        List<Attack> attacks = new ArrayList<>();
        Consumer<Draft> none = draft -> { };
        attacks.add(attack(realmUrl, endpoint, "base", none));

        // every hostile value in every replaceable part
        for (String value : VALUES) {
            for (String param : endpoint.pathParams.keySet()) {
                attacks.add(attack(realmUrl, endpoint, "path", d -> d.pathParams.put(param, value)));
            }
            for (String param : endpoint.query.keySet()) {
                attacks.add(attack(realmUrl, endpoint, "query", d -> d.query.put(param, value)));
            }
            attacks.add(attack(realmUrl, endpoint, "query", d -> d.query.put("q", value)));
            for (String field : endpoint.fields.keySet()) {
                attacks.add(attack(realmUrl, endpoint, "field", d -> d.fields.put(field, value)));
            }
            if (headerSafe(value)) {
                for (String header : endpoint.headers.keySet()) {
                    attacks.add(attack(realmUrl, endpoint, "header", d -> d.header(header, value)));
                }
                attacks.add(attack(realmUrl, endpoint, "header", d -> d.header("X-Forwarded-For", value)));
                attacks.add(attack(realmUrl, endpoint, "header", d -> d.header("Accept-Language", value)));
                if (endpoint.credential != null && endpoint.credential.inHeader()) {
                    attacks.add(attack(realmUrl, endpoint, "credential", d -> d.credential = value));
                }
            } else if (endpoint.credential != null && !endpoint.credential.inHeader()) {
                attacks.add(attack(realmUrl, endpoint, "credential", d -> d.credential = value));
            }
        }
        for (String segment : RAW_PATH_SEGMENTS) {
            for (String param : endpoint.pathParams.keySet()) {
                attacks.add(attack(realmUrl, endpoint, "path", d -> d.rawPathParams.put(param, segment)));
            }
            attacks.add(attack(realmUrl, endpoint, "path", d -> d.rawQuery = "q=" + segment));
        }
        for (String query : QUERIES) {
            attacks.add(attack(realmUrl, endpoint, "query", d -> d.rawQuery = query));
        }

        // tokens: foreign, expired, revoked, forged; missing and duplicated credentials
        if (endpoint.credential != null) {
            deadTokens.values().forEach(token -> attacks.add(attack(realmUrl, endpoint, "token", d -> d.credential = token)));
            attacks.add(attack(realmUrl, endpoint, "token", d -> d.credential = null));
            if (endpoint.credential.inHeader()) {
                String prefix = endpoint.credential.headerPrefix();
                for (String header : List.of(prefix.trim(), prefix, prefix + "  ", "bearer", "Basic", "Basic !!!not-base64!!!",
                        "Basic " + base64("no-colon"), "Basic " + base64(":"), "Negotiate YII=", "Bearer a b c", "Bearer " + "A".repeat(7000))) {
                    attacks.add(attack(realmUrl, endpoint, "credential", d -> {
                        d.credential = null;
                        d.header("Authorization", header);
                    }));
                }
                String someDead = deadTokens.values().iterator().next();
                attacks.add(attack(realmUrl, endpoint, "credential", d -> d.headers.add(Map.entry("Authorization", prefix + someDead))));
                attacks.add(attack(realmUrl, endpoint, "credential", d -> {
                    String live = d.credential;
                    d.credential = someDead;
                    d.headers.add(Map.entry("Authorization", prefix + live));
                }));
            }
        }

        // bodies, content types, sizes
        BODIES.forEach((label, body) -> attacks.add(attack(realmUrl, endpoint, "body", d -> d.body = body)));
        for (String contentType : CONTENT_TYPES) {
            attacks.add(attack(realmUrl, endpoint, "content-type", d -> d.contentType = contentType));
        }
        attacks.add(attack(realmUrl, endpoint, "content-type", d -> d.contentType = null));
        attacks.add(attack(realmUrl, endpoint, "content-type", d -> d.headers.add(Map.entry("Content-Type", "text/plain"))));
        attacks.add(attack(realmUrl, endpoint, "size", d -> d.fields.put("padding", "p".repeat(ONE_MB))));
        attacks.add(attack(realmUrl, endpoint, "size", d -> d.body = "{\"a\":\"".concat("z".repeat(TEN_MB)).getBytes(StandardCharsets.US_ASCII)));

        // headers
        for (String origin : ORIGINS) {
            attacks.add(attack(realmUrl, endpoint, "header", d -> d.header("Origin", origin)));
        }
        for (String header : endpoint.headers.keySet()) {
            attacks.add(attack(realmUrl, endpoint, "header", d -> d.headers.removeIf(h -> h.getKey().equals(header))));
            attacks.add(attack(realmUrl, endpoint, "header", d -> d.headers.add(Map.entry(header, "second-value"))));
        }
        attacks.add(attack(realmUrl, endpoint, "header", d -> d.header("Accept", "application/xml")));
        attacks.add(attack(realmUrl, endpoint, "header", d -> d.header("Accept-Charset", "ebcdic")));
        attacks.add(attack(realmUrl, endpoint, "header", d -> d.header("X-Huge", "h".repeat(7000))));
        return attacks;
    }

    private static Attack attack(String realmUrl, Endpoint endpoint, String category, Consumer<Draft> mutation) {
        Draft draft = new Draft(endpoint);
        mutation.accept(draft);
        String path = endpoint.pathTemplate;
        for (Map.Entry<String, String> param : draft.pathParams.entrySet()) {
            String raw = draft.rawPathParams.getOrDefault(param.getKey(), encode(param.getValue()));
            path = path.replace("{" + param.getKey() + "}", raw);
        }
        String query = draft.rawQuery != null ? draft.rawQuery : draft.query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        URI uri = URI.create(realmUrl + "/" + path + (query.isEmpty() ? "" : "?" + query));

        List<Map.Entry<String, String>> headers = new ArrayList<>(draft.headers);
        Map<String, Object> fields = new LinkedHashMap<>(draft.fields);
        Endpoint.Credential credential = endpoint.credential;
        if (credential != null && draft.credential != null) {
            if (credential.inHeader()) {
                headers.add(Map.entry("Authorization", credential.headerPrefix() + draft.credential));
            } else {
                fields.put(credential.field(), draft.credential);
            }
        }
        if (draft.contentType != null) {
            headers.add(Map.entry("Content-Type", draft.contentType));
        }
        byte[] body = draft.body != null ? draft.body : switch (endpoint.encoding) {
            case JSON -> json(fields);
            case FORM -> fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(String.valueOf(e.getValue())))
                    .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8);
            case NONE -> fields.isEmpty() ? null : json(fields);
        };
        return new Attack(endpoint, category, endpoint.method, uri, headers, body);
    }

    /** Dotted names become nested objects. */
    private static byte[] json(Map<String, Object> fields) {
        Map<String, Object> root = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            String[] parts = name.split("\\.");
            Map<String, Object> parent = root;
            for (String part : Arrays.copyOf(parts, parts.length - 1)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) parent.computeIfAbsent(part, p -> new LinkedHashMap<String, Object>());
                parent = child;
            }
            parent.put(parts[parts.length - 1], value);
        });
        try {
            return JsonSerialization.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, byte[]> bodies() {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("empty", "");
        text.put("open brace", "{");
        text.put("open key", "{\"a\":");
        text.put("trailing comma", "{\"a\":1,}");
        text.put("single quotes", "{'userName':'x'}");
        text.put("unquoted keys", "{userName: x}");
        text.put("trailing garbage", "{\"a\":1}}}]]");
        text.put("two objects", "{\"a\":1}{\"b\":2}");
        text.put("string", "\"just a string\"");
        text.put("number", "12345");
        text.put("huge number", "1" + "0".repeat(5000));
        text.put("exponent", "{\"a\":1e999999999}");
        text.put("null", "null");
        text.put("true", "true");
        text.put("array", "[]");
        text.put("array of objects", "[{\"username\":\"x\"},{\"password\":\"y\"}]");
        text.put("nested arrays 10k", "[".repeat(10_000) + "]".repeat(10_000));
        text.put("nested arrays 100k unclosed", "[".repeat(100_000));
        text.put("nested objects 5k", "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000));
        text.put("duplicate keys", "{\"token\":\"a\",\"token\":\"b\",\"refresh_token\":\"a\",\"refresh_token\":{},\"username\":1,\"username\":[]}");
        text.put("wrong types", "{\"userName\":1,\"password\":[],\"username\":{},\"email\":true,\"token\":{\"idToken\":[1]},\"jwt\":1,"
                + "\"refreshToken\":{},\"refresh_token\":false,\"account_type\":7,\"grant_type\":[\"password\"],\"scopes\":\"all\","
                + "\"permission\":{\"scopes\":{}},\"claims\":[1]}");
        text.put("nulls", "{\"userName\":null,\"password\":null,\"username\":null,\"email\":null,\"token\":null,\"jwt\":null,"
                + "\"refreshToken\":null,\"refresh_token\":null,\"grant_type\":null}");
        text.put("lone surrogate escape", "{\"username\":\"\\ud800\",\"email\":\"\\udfff@x.org\",\"token\":\"\\ud800\"}");
        text.put("bad escape", "{\"username\":\"\\q\\u12\"}");
        text.put("raw control characters", "{\"username\":\"a\u0000\u0001\u001f\"}");
        text.put("comments", "/* c */ {\"a\":1} // c");
        text.put("xml", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>");
        text.put("form", "grant_type=password&grant_type=refresh_token&username=&password=%00&=&&=&client_id=a&client_id=b");
        text.put("many keys", "{" + java.util.stream.IntStream.range(0, 20_000).mapToObj(i -> "\"k" + i + "\":" + i)
                .collect(Collectors.joining(",")) + "}");
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        text.forEach((label, body) -> bodies.put(label, body.getBytes(StandardCharsets.UTF_8)));
        bodies.put("invalid utf-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, '"', '}'});
        bodies.put("utf-16 with BOM", "{\"username\":\"x\"}".getBytes(StandardCharsets.UTF_16));
        bodies.put("utf-8 BOM", ("\uFEFF{\"username\":\"x\"}").getBytes(StandardCharsets.UTF_8));
        bodies.put("binary", new byte[] {0, 1, 2, 3, (byte) 0x80, (byte) 0xFF, 0x1F, (byte) 0x8B, 0x08});
        bodies.put("1 MB of junk", "\u0001{[\"".repeat(ONE_MB / 4).getBytes(StandardCharsets.UTF_8));
        return bodies;
    }

    /** What a header may carry: the HTTP client refuses control characters and non-Latin-1 text. */
    private static boolean headerSafe(String value) {
        return value.length() < 8000 && value.chars().allMatch(c -> c == '\t' || c >= 0x20 && c < 0x7F);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String base64(String value) {
        return java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}

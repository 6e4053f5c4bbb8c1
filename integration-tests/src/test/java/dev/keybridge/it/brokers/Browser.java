package dev.keybridge.it.brokers;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Just enough of a browser for broker logins: keeps cookies, follows redirects one by one (so a
 * test can stop at the client's redirect URI), reads and posts HTML forms. The cookie jar is its
 * own because Keycloak marks its session cookies Secure even on http://localhost (browsers treat
 * localhost as secure, java.net.CookieManager does not).
 */
final class Browser {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
    private static final Pattern HIDDEN_INPUT = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    HttpResponse<String> post(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Follows redirects until a page is shown or the next hop would leave for {@code stopAt}. */
    HttpResponse<String> follow(HttpResponse<String> response, String stopAt) {
        HttpResponse<String> current = response;
        for (int hops = 0; hops < 20 && current.statusCode() / 100 == 3; hops++) {
            String location = location(current);
            if (location.startsWith(stopAt)) {
                return current;
            }
            current = get(location);
        }
        return current;
    }

    static String location(HttpResponse<String> response) {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location header"));
        return response.uri().resolve(location).toString();
    }

    static String formAction(String html) {
        Matcher action = FORM_ACTION.matcher(html);
        if (!action.find()) {
            throw new AssertionError("no form in page: " + html);
        }
        return action.group(1).replace("&amp;", "&");
    }

    static Map<String, String> hiddenInputs(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = HIDDEN_INPUT.matcher(html);
        while (input.find()) {
            fields.put(input.group(1), input.group(2).replace("&quot;", "\"").replace("&amp;", "&"));
        }
        return fields;
    }


    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String[] nameValue = setCookie.split(";", 2)[0].split("=", 2);
                boolean expired = setCookie.toLowerCase(java.util.Locale.ROOT).contains("max-age=0") || nameValue[1].isEmpty();
                if (expired) {
                    cookies.remove(nameValue[0].trim());
                } else {
                    cookies.put(nameValue[0].trim(), nameValue[1]);
                }
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

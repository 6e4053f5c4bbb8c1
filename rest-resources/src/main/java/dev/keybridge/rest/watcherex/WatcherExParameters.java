package dev.keybridge.rest.watcherex;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.JsonObjectBody;
import com.fasterxml.jackson.databind.DeserializationFeature;
import jakarta.ws.rs.core.MediaType;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;

/**
 * The parameters of a WatcherEx token or revoke request: form-encoded when the content type says so, else a JSON object
 * (strings only). Anything unreadable is WatcherEx's 400.
 */
final class WatcherExParameters {

    /** The string members of a JSON body the routes read: the forwarded ones, {@code otp}, and revoke's access token. */
    static final List<String> READ_FROM_JSON = Stream.concat(WatcherExTokenProxy.FORWARDED.stream(),
            Stream.of(WatcherExTokenProxy.OTP, OAuth2Constants.ACCESS_TOKEN)).toList();

    private WatcherExParameters() {
    }

    static Map<String, String> parse(KeycloakSession session, String body, String contentType) {
        Map<String, String> params = new HashMap<>();
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED)) {
            if (body != null && body.length() > JsonObjectBody.MAX_CHARS) {
                throw WatcherExError.badRequest();
            }
            if (body == null || body.isEmpty()) {
                // the server may have read the form before the resource got the body
                session.getContext().getHttpRequest().getDecodedFormParameters().forEach((name, values) -> {
                    if (values.size() > 1) {
                        throw WatcherExError.badRequest();
                    }
                    params.put(name, values.isEmpty() ? null : values.get(0));
                });
                return params;
            }
            for (String pair : body.split("&")) {
                int equals = pair.indexOf('=');
                // Keycloak's token endpoint refuses a repeated parameter ("duplicated parameter"); so do we
                if (equals > 0 && params.putIfAbsent(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1))) != null) {
                    throw WatcherExError.badRequest();
                }
            }
            return params;
        }
        JsonObjectBody json;
        try {
            json = JsonObjectBody.parse(body);
            // a member named twice is a repeated parameter: Jackson would keep the last one silently
            JsonSerialization.mapper.reader().with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).readTree(body);
        } catch (ApiException | IOException malformed) {
            throw WatcherExError.badRequest();
        }
        for (String name : READ_FROM_JSON) {
            Optional.ofNullable(json.text(name)).ifPresent(value -> params.put(name, value));
        }
        return params;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            throw WatcherExError.badRequest();
        }
    }
}

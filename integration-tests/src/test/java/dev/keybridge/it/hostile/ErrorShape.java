package dev.keybridge.it.hostile;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import org.keycloak.util.JsonSerialization;

/** The error body each API documents; {@link #problem} says what is wrong with a response, empty when it conforms. */
enum ErrorShape {

    /** openK and Keycloak's token endpoint: OAuth's {@code {error, error_description}}. */
    OAUTH {
        @Override
        Optional<String> problem(Http.Response response) {
            return object(response, body -> body.path("error").isTextual() ? Optional.empty()
                    : Optional.of("no string member 'error'"));
        }
    },
    /** Tapis' envelope, every member present, status "error". */
    TAPIS {
        @Override
        Optional<String> problem(Http.Response response) {
            return object(response, body -> List.of("message", "metadata", "result", "status", "version").stream()
                    .allMatch(body::has) && "error".equals(body.path("status").asText())
                    ? Optional.empty() : Optional.of("not a Tapis error envelope"));
        }
    },
    /** ErtisAuth's {Message, ErrorCode, StatusCode} (camelCase for XErtisAliasMissing), StatusCode the HTTP status. */
    ERTIS {
        @Override
        Optional<String> problem(Http.Response response) {
            return object(response, body -> {
                JsonNode code = body.has("StatusCode") ? body.get("StatusCode") : body.get("statusCode");
                return code != null && code.asInt() == response.status() && (body.has("ErrorCode") || body.has("errorCode"))
                        ? Optional.empty() : Optional.of("not an ErtisAuth error body");
            });
        }
    },
    /** ErtisAuth's revoke-token: any failure is a bare 401. */
    ERTIS_BARE_401 {
        @Override
        Optional<String> problem(Http.Response response) {
            return response.status() == 401 && response.body().isEmpty() ? Optional.empty() : Optional.of("not a bare 401");
        }
    },
    /** TimeLapseMe: 400 with the message as the original's text/html body, no markup in it. */
    PLAIN_TEXT_400 {
        @Override
        Optional<String> problem(Http.Response response) {
            boolean text = response.headers().firstValue("Content-Type").orElse("").startsWith("text/html");
            boolean markup = response.body().contains("<") || response.body().contains(">");
            return response.status() == 400 && text && !markup && !response.body().isBlank() ? Optional.empty()
                    : Optional.of("not a text 400 without markup");
        }
    },
    /** WatcherEx: {status, error, detail}, status the HTTP status. */
    WATCHEREX {
        @Override
        Optional<String> problem(Http.Response response) {
            return object(response, body -> body.path("status").asInt() == response.status()
                    && body.path("error").isTextual() && body.path("detail").isTextual()
                    ? Optional.empty() : Optional.of("not a WatcherEx error body"));
        }
    };

    abstract Optional<String> problem(Http.Response response);

    /** The check's verdict on the body when it is a JSON object, else that it is not one. */
    private static Optional<String> object(Http.Response response, Function<JsonNode, Optional<String>> check) {
        JsonNode body;
        try {
            body = JsonSerialization.mapper.readTree(response.body());
        } catch (IOException notJson) {
            body = null;
        }
        return body != null && body.isObject() ? check.apply(body) : Optional.of("not a JSON object");
    }
}

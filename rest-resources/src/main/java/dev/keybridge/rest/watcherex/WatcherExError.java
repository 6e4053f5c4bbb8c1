package dev.keybridge.rest.watcherex;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.keybridge.rest.support.ApiException;

/**
 * WatcherEx's error envelope {@code {status, error, detail}} with its fixed details per status, and its inverted
 * statuses: 403 {@code unauthenticated} for bad credentials or tokens, 401 {@code unauthorized} for a refused
 * permission.
 */
final class WatcherExError {

    private WatcherExError() {
    }

    /** A 400 naming the fields that failed validation, as the original's {@code response} member. */
    static final class Invalid extends ApiException {

        private final Map<String, List<String>> fields;

        Invalid(Map<String, List<String>> fields) {
            super(400, "bad_request", "The given params failed in validation");
            this.fields = fields;
        }
    }

    static Map<String, Object> body(ApiException failure) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", failure.status());
        body.put("error", failure.error());
        body.put("detail", failure.description());
        if (failure instanceof Invalid invalid) {
            body.put("response", invalid.fields);
        }
        return body;
    }

    static ApiException badRequest() {
        return new ApiException(400, "bad_request", "The given parameters are invalid");
    }

    static ApiException unauthorized() {
        return new ApiException(401, "unauthorized", "Not authorized to perform such action");
    }

    static ApiException unauthenticated() {
        return new ApiException(403, "unauthenticated", "Not authenticated so cannot due such action");
    }
}

package dev.keybridge.rest.openk;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One check of openK's GET /healthcheck, keyed by its name in the body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record HealthState(boolean healthy, String message) {

    static final String CHECK_NAME = "Keycloak present";

    Map<String, HealthState> asBody() {
        return Map.of(CHECK_NAME, this);
    }
}

package dev.keybridge.rest.openk;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keybridge.rest.support.ApiException;

/**
 * openK's error body. The original documents only status codes; this is the OAuth-style shape Keycloak
 * itself answers with, so a portal sees one error format from /login and the token endpoint alike.
 */
record OpenkError(String error, @JsonProperty("error_description") String errorDescription) {

    static OpenkError of(ApiException failure) {
        return new OpenkError(failure.error(), failure.description());
    }
}

package dev.keybridge.rest.watcherex;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** WatcherEx's token response; {@code refresh_token} is null when the grant gives none, as in the original. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record WatcherExTokens(@JsonProperty("access_token") String accessToken,
                       @JsonProperty("refresh_token") String refreshToken,
                       @JsonProperty("expires_in") long expiresIn,
                       @JsonProperty("token_type") String tokenType) {
}

package dev.keybridge.rest.timelapseme;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * TimeLapseMe's token response. {@code acessToken} repeats the access token under the README's misspelling,
 * because clients were written from the README.
 */
@JsonPropertyOrder({"accessToken", "refreshToken", "acessToken"})
record TimeLapseMeTokens(@JsonProperty("accessToken") String accessToken,
                         @JsonProperty("refreshToken") String refreshToken,
                         @JsonProperty("acessToken") String acessToken) {

    TimeLapseMeTokens(String accessToken, String refreshToken) {
        this(accessToken, refreshToken, accessToken);
    }
}

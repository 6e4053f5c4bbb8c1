package dev.keybridge.rest.ertis;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.keycloak.representations.AccessTokenResponse;

/** ErtisAuth's token body, in the order its documents show; {@code created_at} has the server's offset. */
@JsonPropertyOrder({"token_type", "refresh_token", "refresh_token_expires_in", "access_token", "expires_in", "created_at"})
record ErtisTokenResponse(@JsonProperty("token_type") String tokenType,
                          @JsonProperty("refresh_token") String refreshToken,
                          @JsonProperty("refresh_token_expires_in") long refreshTokenExpiresIn,
                          @JsonProperty("access_token") String accessToken,
                          @JsonProperty("expires_in") long expiresIn,
                          @JsonProperty("created_at") String createdAt) {

    static ErtisTokenResponse of(AccessTokenResponse tokens) {
        return new ErtisTokenResponse("bearer", tokens.getRefreshToken(), tokens.getRefreshExpiresIn(), tokens.getToken(),
                tokens.getExpiresIn(), OffsetDateTime.now().toString());
    }
}

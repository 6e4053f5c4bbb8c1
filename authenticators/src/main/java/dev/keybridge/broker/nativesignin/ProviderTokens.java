package dev.keybridge.broker.nativesignin;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import org.keycloak.http.simple.SimpleHttpResponse;
import org.keycloak.models.KeycloakSession;

/**
 * Verifies Apple, Google and Microsoft ID tokens inside Keycloak: keys come from the provider's JWKS
 * through Keycloak's HTTP client (proxy and truststore settings apply), with a per-IdP timeout,
 * and are cached per node. Used by native sign-in and by the Apple browser login alike.
 */
public final class ProviderTokens {

    /** One key cache per server node, shared by every realm (keys are public and per URL). */
    private static final JwksCache KEYS = new JwksCache(Clock.systemUTC());
    private static final long MAX_JWKS_BYTES = 256 * 1024;
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private ProviderTokens() {
    }

    public static VerifiedIdToken verify(KeycloakSession session, NativeSignInSettings settings, String token, String nonce)
            throws IdTokenRejectedException {
        return IdTokenVerifier.verify(token, settings, nonce, Instant.now(),
                kid -> KEYS.key(settings.jwksUrl(), kid, settings.jwksMaxAge(), settings.jwksMinRefetchInterval(),
                        url -> fetchKeys(session, url, settings)));
    }

    private static Map<String, JsonWebKeys.SigningKey> fetchKeys(KeycloakSession session, String url, NativeSignInSettings settings)
            throws IOException {
        try (SimpleHttpResponse response = ProviderHttp.get(session, url, settings.jwksTimeout(), MAX_JWKS_BYTES).asResponse()) {
            if (response.getStatus() != 200) {
                throw new IOException("JWKS endpoint answered HTTP " + response.getStatus());
            }
            return JsonWebKeys.parse(response.asJson(JSON_OBJECT));
        }
    }
}

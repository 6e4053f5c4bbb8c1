package dev.keybridge.broker.facebook;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.keybridge.broker.nativesignin.IdTokenRejectedException;
import dev.keybridge.broker.nativesignin.ProviderHttp;
import dev.keybridge.broker.nativesignin.VerifiedIdToken;
import org.jboss.logging.Logger;
import org.keycloak.http.simple.SimpleHttpRequest;
import org.keycloak.http.simple.SimpleHttpResponse;
import org.keycloak.models.KeycloakSession;

/**
 * Verifies a classic Facebook access token with the Graph API ({@link ProviderHttp}: Keycloak's HTTP client, the IdP's
 * timeout, a bound on the answer's size): the token inspection, then the profile
 * (with {@code appsecret_proof}, so a stolen token is useless to Graph without the app secret). The app credentials
 * go in the Authorization header, as Keycloak's Facebook broker sends them, not in the URL that proxies log.
 */
final class FacebookGraph {

    private static final Logger LOG = Logger.getLogger(FacebookGraph.class);
    private static final long MAX_ANSWER_BYTES = 64 * 1024;
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private FacebookGraph() {
    }

    static VerifiedIdToken verify(KeycloakSession session, FacebookSettings settings, String accessToken, String expectedUserId)
            throws IdTokenRejectedException {
        GraphAnswers.checkTokenShape(accessToken);
        if (settings.appId() == null || settings.appId().isEmpty() || settings.appSecret() == null || settings.appSecret().isEmpty()) {
            throw new IdTokenRejectedException("identity provider '" + settings.alias() + "' has no Facebook app id and secret configured");
        }
        Map<String, Object> inspection = get(session, settings, "/debug_token", settings.appId() + "|" + settings.appSecret(), false,
                "input_token", accessToken);
        String userId = GraphAnswers.userId(inspection, settings.appId(), expectedUserId, Instant.now().getEpochSecond());
        Map<String, Object> profile = get(session, settings, "/me", accessToken, true,
                "fields", "id,name,email,first_name,last_name", "appsecret_proof", GraphAnswers.appSecretProof(accessToken, settings.appSecret()));
        return GraphAnswers.identity(profile, userId, settings.emailVerified());
    }

    /**
     * @param errorStatusAnswers whether an HTTP error's JSON body is an answer (me: Graph's refusal of the token) or a failure
     */
    private static Map<String, Object> get(KeycloakSession session, FacebookSettings settings, String path, String bearer,
                                           boolean errorStatusAnswers, String... query) throws IdTokenRejectedException {
        SimpleHttpRequest request = ProviderHttp.get(session, settings.graphUrl() + path, settings.graphTimeout(), MAX_ANSWER_BYTES)
                .header("Authorization", "Bearer " + bearer);
        for (int i = 0; i + 1 < query.length; i += 2) {
            request.param(query[i], query[i + 1]);
        }
        try (SimpleHttpResponse response = request.asResponse()) {
            Map<String, Object> answer = response.asJson(JSON_OBJECT);
            if (answer == null) {
                throw new IOException("the answer is not a JSON object");
            }
            if (response.getStatus() != 200 && !errorStatusAnswers) {
                throw new IOException("HTTP " + response.getStatus() + GraphAnswers.graphError(answer));
            }
            return answer;
        } catch (IOException | RuntimeException e) {
            String failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warnf("Facebook Graph API %s%s failed for identity provider '%s': %s", settings.graphUrl(), path, settings.alias(), failure);
            throw new IdTokenRejectedException("the Facebook access token could not be checked: the Graph API (" + path + ") did not answer "
                    + "usably (" + failure + ")", e);
        }
    }
}

package dev.keybridge.broker.nativesignin;

import java.time.Duration;

import org.apache.http.client.config.RequestConfig;
import org.keycloak.http.simple.SimpleHttp;
import org.keycloak.http.simple.SimpleHttpRequest;
import org.keycloak.models.KeycloakSession;

/**
 * A GET to an identity provider (keys, Facebook's Graph API) through Keycloak's HTTP client, so the server's proxy and
 * truststore settings apply, with one timeout for connecting, waiting for a pooled connection and reading, and a bound
 * on the answer's size: a slow or hostile provider cannot hold a request thread or fill the heap.
 */
public final class ProviderHttp {

    private ProviderHttp() {
    }

    public static SimpleHttpRequest get(KeycloakSession session, String url, Duration timeout, long maxAnswerBytes) {
        int millis = (int) timeout.toMillis();
        RequestConfig requestConfig = RequestConfig.custom().setConnectTimeout(millis).setSocketTimeout(millis)
                .setConnectionRequestTimeout(millis).build();
        return SimpleHttp.create(session).withRequestConfig(requestConfig).withMaxConsumedResponseSize(maxAnswerBytes)
                .doGet(url).acceptJson();
    }
}

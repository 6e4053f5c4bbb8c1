package dev.keybridge.it.compat.watcherex;

import static dev.keybridge.it.compat.watcherex.WatcherExTest.ASSERTION_KEY;
import static dev.keybridge.it.compat.watcherex.WatcherExTest.TOKEN;
import static dev.keybridge.it.compat.watcherex.WatcherExTest.assertError;
import static dev.keybridge.it.compat.watcherex.WatcherExTest.assertion;
import static dev.keybridge.it.compat.watcherex.WatcherExTest.jwks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;

import dev.keybridge.it.compat.CompatRealms;
import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * The checks Keycloak's token endpoint makes on a token request's parameters hold on WatcherEx's token route, also
 * for a client assertion with WatcherEx's audience (which the route hands to the grant itself): a repeated parameter
 * is refused, parameters over the OIDC length limit are treated as the token endpoint treats them, and a client of
 * another protocol gets no tokens.
 */
@KeycloakIntegrationTest
class WatcherExTokenRequestGuardsTest {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String PASSWORD = "wx-pass-123";

    @InjectRealm(config = GuardsRealm.class)
    ManagedRealm realm;

    static class GuardsRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            String keys = jwks((RSAPublicKey) ASSERTION_KEY.getPublic());
            return CompatRealms.withoutVerifyProfile(realm).eventsEnabled(true)
                    .clients(ClientBuilder.create("wx-app").secret("wx-secret").serviceAccountsEnabled(),
                            ClientBuilder.create("wx-other").secret("other-secret").serviceAccountsEnabled(),
                            ClientBuilder.create("wx-signed").authenticatorType("client-jwt").serviceAccountsEnabled()
                                    .directAccessGrantsEnabled().optionalClientScopes("phone")
                                    .attribute("use.jwks.string", "true").attribute("jwks.string", keys),
                            ClientBuilder.create("wx-saml").protocol("saml").authenticatorType("client-jwt").serviceAccountsEnabled()
                                    .attribute("use.jwks.string", "true").attribute("jwks.string", keys))
                    .users(UserBuilder.create("plain").password(PASSWORD));
        }
    }

    private Http.Response form(String body) throws Exception {
        return Http.at(realm).resource("watcherex").send("POST", TOKEN, body, Map.of("Content-Type", FORM));
    }

    private Http.Response json(String body) throws Exception {
        return Http.at(realm).resource("watcherex").postJson(TOKEN, body);
    }

    @Test
    void aRepeatedParameterIsRefusedAsKeycloaksTokenEndpointRefusesIt() throws Exception {
        // the pair alone succeeds: the refusals below are the repetition's
        assertEquals(200, form("grant_type=client_credentials&client_id=wx-app&client_secret=wx-secret").status());
        assertError(form("grant_type=client_credentials&client_id=wx-app&client_secret=wx-secret&client_secret=guess"), 400, "bad_request");
        assertError(form("grant_type=client_credentials&client_id=wx-other&client_id=wx-app&client_secret=wx-secret"), 400, "bad_request");
        assertError(json("{\"grant_type\":\"client_credentials\",\"client_id\":\"wx-other\",\"client_id\":\"wx-app\","
                + "\"client_secret\":\"wx-secret\"}"), 400, "bad_request");
        // and with WatcherEx's own assertion audience, which the route authenticates itself
        String legacy = assertion("wx-signed", "WatcherEx");
        assertError(form("grant_type=client_credentials&client_id=wx-signed&client_assertion=" + legacy
                + "&client_assertion=" + assertion("wx-signed", "WatcherEx")), 400, "bad_request");
        assertError(json(Http.toJson(Map.of("grant_type", "client_credentials", "client_id", "wx-signed",
                "client_assertion", legacy)).replace("\"grant_type\"", "\"grant_type\":\"password\",\"grant_type\"")), 400, "bad_request");
    }

    @Test
    void anOverLongParameterIsTreatedAsTheTokenEndpointTreatsIt() throws Exception {
        // Keycloak's default: parameters of the password grant over 4000 characters are dropped (with a warning)
        String scope = "phone " + "x".repeat(4100);
        Http.Response standard = json(Http.toJson(Map.of("grant_type", "password", "client_id", "wx-signed",
                "username", "plain", "password", PASSWORD, "scope", scope,
                "client_assertion", assertion("wx-signed", realm.getBaseUrl()))));
        Http.Response legacy = json(Http.toJson(Map.of("grant_type", "password", "client_id", "wx-signed",
                "username", "plain", "password", PASSWORD, "scope", scope,
                "client_assertion", assertion("wx-signed", "WatcherEx"))));
        assertEquals(200, standard.status(), standard.body());
        assertEquals(standard.status(), legacy.status(), "the same request through WatcherEx's audience: " + legacy.body());
        String dropped = "x".repeat(4100);
        assertTrue(!legacy.json().path("access_token").asText().isEmpty() && !legacy.body().contains(dropped), legacy.body());
    }

    @Test
    void aClientOfAnotherProtocolGetsNoTokensByAnAssertion() throws Exception {
        assertError(json(Http.toJson(Map.of("grant_type", "client_credentials", "client_id", "wx-saml",
                "client_assertion", assertion("wx-saml", "WatcherEx")))), 403, "unauthenticated");
        assertTrue(realm.admin().getEvents(List.of("CLIENT_LOGIN_ERROR"), "wx-saml", null, null, null, null, 0, 50).stream()
                        .anyMatch(e -> "invalid_client".equals(e.getError()) && "Wrong client protocol.".equals(e.getDetails().get("reason"))),
                "CLIENT_LOGIN_ERROR invalid_client, reason Wrong client protocol.");
    }
}

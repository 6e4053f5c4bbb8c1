package dev.keybridge.it.brokers;

import static dev.keybridge.it.brokers.BrokerRealm.GOOGLE_ANDROID_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/** Native sign-in through token exchange answers as RFC 8693 section 2.2.1 says, {@code issued_token_type} included. */
@KeycloakIntegrationTest
class TokenExchangeResponseTest {

    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    static final String REFRESH_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:refresh_token";

    @InjectRealm(config = ExchangeRealm.class)
    ManagedRealm realm;

    private final FakeProvider google = FakeProvider.google();

    static class ExchangeRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.eventsEnabled(true)
                    .clients(ClientBuilder.create("mobile").publicClient().attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "google"))
                    .identityProviders(BrokerRealm.googleIdp("google", FakeProvider.google(), Map.of()))
                    .update(BrokerRealm::namesAndEmailOptional);
        }
    }

    private Http.Response exchange(String subject, String requestedTokenType) {
        Map<String, Object> claims = google.claims(subject, GOOGLE_ANDROID_CLIENT);
        claims.put("email", subject + "@example.org");
        claims.put("email_verified", true);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", Http.TOKEN_EXCHANGE);
        form.put("client_id", "mobile");
        form.put("subject_token", google.sign(claims));
        form.put("subject_token_type", Http.ID_TOKEN_TYPE);
        form.put("subject_issuer", "google");
        if (requestedTokenType != null) {
            form.put("requested_token_type", requestedTokenType);
        }
        return Http.at(realm).token(form);
    }

    @Test
    void accessTokenIsTheIssuedTypeByDefaultAndWhenAsked() {
        for (String requested : java.util.Arrays.asList(null, ACCESS_TOKEN_TYPE)) {
            Http.Response reply = exchange("exchange-access-" + (requested == null ? "default" : "asked"), requested);
            assertEquals(200, reply.status(), reply.body().toString());
            assertEquals(ACCESS_TOKEN_TYPE, reply.string("issued_token_type"));
            assertEquals("Bearer", reply.string("token_type"));
            assertNotNull(reply.string("access_token"));
        }
    }

    @Test
    void refreshTokenIsTheIssuedTypeWhenAsked() {
        Http.Response reply = exchange("exchange-refresh", REFRESH_TOKEN_TYPE);
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals(REFRESH_TOKEN_TYPE, reply.string("issued_token_type"));
        assertNotNull(reply.string("refresh_token"));
    }

    @Test
    void otherRequestedTypesAreRefusedBeforeAnyUserIsCreated() {
        Http.Response reply = exchange("exchange-saml", "urn:ietf:params:oauth:token-type:saml2");
        assertEquals(400, reply.status(), reply.body().toString());
        assertEquals("invalid_request", reply.string("error"));
        assertTrue(reply.string("error_description").contains("requested_token_type"), reply.string("error_description"));
        assertEquals(List.of(), realm.admin().users().searchByEmail("exchange-saml@example.org", true));
        assertTrue(realm.admin().getEvents(List.of("TOKEN_EXCHANGE_ERROR"), "mobile", null, null, null, null, 0, 50).stream()
                .anyMatch(e -> "invalid_request".equals(e.getError())), "refusal recorded as an error event");
    }
}

package dev.keybridge.it.brokers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.ServerLog;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * The provider's JWKS endpoint slow or down: Keycloak waits no longer than the IdP's JWKS timeout,
 * keeps verifying with the keys it has, refuses tokens signed with keys it could not fetch with a
 * 400 that says why (plus a log line and an error event), and recovers when the provider does.
 * Each case has its own fake Apple, hence its own JWKS URL and cache entry.
 */
@KeycloakIntegrationTest
class JwksFaultsTest {

    private static final String TIMEOUT_MILLIS = "1000";

    @InjectRealm(config = FaultRealm.class)
    ManagedRealm realm;

    static class FaultRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.eventsEnabled(true)
                    .clients(ClientBuilder.create("mobile").publicClient()
                            .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "apple-slow apple-down apple-cold"))
                    .identityProviders(faultyIdp("apple-slow"), faultyIdp("apple-down"), faultyIdp("apple-cold"))
                    .update(BrokerRealm::namesAndEmailOptional);
        }

        private static IdentityProviderRepresentation faultyIdp(String alias) {
            return BrokerRealm.appleIdp(alias, FakeProvider.apple(alias), Map.of(NativeSignInSettings.JWKS_TIMEOUT_MILLIS, TIMEOUT_MILLIS));
        }
    }

    @Test
    void slowProviderTimesOutAndCachedKeysKeepWorking() {
        FakeProvider apple = FakeProvider.apple("apple-slow");
        FakeProvider.SigningKey known = apple.currentKey();
        assertEquals(200, signIn("apple-slow", known, "slow-1").status(), "keys fetched and cached");
        try {
            apple.slowJwks(Duration.ofSeconds(5));
            FakeProvider.SigningKey rotated = apple.rotateKey("RS256");

            Http.Response unknownKid = signIn("apple-slow", rotated, "slow-2");
            assertRefused(unknownKid, "could not be fetched from " + apple.jwksUrl());
            assertTrue(unknownKid.string("error_description").toLowerCase().contains("timed out"), unknownKid.body().toString());
            assertEquals(200, signIn("apple-slow", known, "slow-3").status(), "the cached key still verifies");
        } finally {
            apple.slowJwks(Duration.ZERO);
        }
    }

    @Test
    void providerDownRefusesUnknownKeysClearlyAndRecovers() {
        FakeProvider apple = FakeProvider.apple("apple-down");
        FakeProvider.SigningKey known = apple.currentKey();
        assertEquals(200, signIn("apple-down", known, "down-1").status());
        FakeProvider.SigningKey rotated;
        try {
            apple.jwksDown(true);
            rotated = apple.rotateKey("ES256");
            assertRefused(signIn("apple-down", rotated, "down-2"), "could not be fetched from " + apple.jwksUrl() + ": JWKS endpoint answered HTTP 503");
            assertEquals(200, signIn("apple-down", known, "down-3").status(), "the cached key still verifies");
        } finally {
            apple.jwksDown(false);
        }
        assertEquals(200, signIn("apple-down", rotated, "down-4").status(), "the rotated key is fetched once the provider is back");

        assertTrue(ServerLog.tail(2000).stream().anyMatch(line -> line.contains("Could not fetch identity provider signing keys from "
                + apple.jwksUrl() + ": JWKS endpoint answered HTTP 503; the 1 cached keys stay in use")), "log line of the failed fetch");
        List<EventRepresentation> errors = realm.admin().getEvents(List.of("TOKEN_EXCHANGE_ERROR"), null, null, null, null, null, 0, 100);
        assertTrue(errors.stream().anyMatch(e -> "apple-down".equals(e.getDetails().get("identity_provider"))
                && e.getDetails().get("reason").contains("HTTP 503")), "error event with the reason: " + errors);
    }

    @Test
    void providerDownBeforeTheFirstFetchRefusesWithoutCreatingUsers() {
        FakeProvider apple = FakeProvider.apple("apple-cold");
        int users = realm.admin().users().count();
        try {
            apple.jwksDown(true);
            assertRefused(signIn("apple-cold", apple.currentKey(), "cold-1"), "is not among the cached keys, and the provider's signing keys could not be fetched");
        } finally {
            apple.jwksDown(false);
        }
        assertEquals(users, realm.admin().users().count());
        assertEquals(200, signIn("apple-cold", apple.currentKey(), "cold-2").status(), "the next request fetches the keys");
    }

    /** A native sign-in through the IdP whose alias is also the name of its fake Apple. */
    private Http.Response signIn(String alias, FakeProvider.SigningKey key, String subject) {
        String idToken = FakeProvider.sign(FakeProvider.apple(alias).claims(subject, BrokerRealm.BUNDLE_ID), key);
        return Http.at(realm).exchange("mobile", alias, idToken, null);
    }

    private static void assertRefused(Http.Response reply, String descriptionPart) {
        assertEquals(400, reply.status(), reply.body().toString());
        assertEquals("invalid_grant", reply.string("error"));
        String description = reply.string("error_description");
        assertTrue(description != null && description.contains(descriptionPart), "description: " + description);
    }
}

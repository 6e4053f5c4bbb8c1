package dev.keybridge.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;

import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.it.bench.AlternatingLoad.Comparison;
import dev.keybridge.it.bench.AlternatingLoad.Variant;
import dev.keybridge.it.bench.BenchResults.Headline;
import dev.keybridge.it.brokers.BrokerRealm;
import dev.keybridge.it.brokers.FakeProvider;
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
 * Native sign-in (RFC 8693 exchange of a Google ID token signed by the local fake) against a password
 * grant of the same user through the same public client, alternating rounds in one run. Each request
 * carries a newly signed ID token (the load generator's signing is part of the measured time).
 */
@KeycloakIntegrationTest
class NativeSignInBench {

    private static final int THREADS = 4;
    private static final String USER = "linked";
    private static final String PASSWORD = "linked-password-1";
    private static final String GOOGLE_SUBJECT = "google-bench-sub";

    @InjectRealm(config = BenchRealm.class)
    ManagedRealm realm;

    public static class BenchRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm
                    .clients(ClientBuilder.create("mobile").publicClient().directAccessGrantsEnabled()
                            .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "google"))
                    .identityProviders(BrokerRealm.googleIdp("google", FakeProvider.google(), Map.of()))
                    .users(UserBuilder.create(USER).password(PASSWORD).email("linked@example.org").emailVerified(true)
                            .name("Lin", "Ked").federatedLink("google", GOOGLE_SUBJECT, "linked@example.org"));
        }
    }

    @Test
    void nativeSignInAgainstPasswordGrant() throws Exception {
        FakeProvider google = FakeProvider.google();
        Comparison result = AlternatingLoad.run(THREADS,
                new Variant("token exchange of a Google ID token (linked user)", () -> () -> expectTokens(
                        Http.at(realm).exchange("mobile", "google", freshIdToken(google), null))),
                new Variant("password grant of the same user and client", () -> () -> expectTokens(Http.at(realm).token(Map.of(
                        "grant_type", "password", "client_id", "mobile", "username", USER, "password", PASSWORD, "scope", "openid")))));
        BenchResults.workload("native-sign-in", "native sign-in (ID token exchange) vs password grant (" + THREADS + " threads)",
                        Headline.THROUGHPUT)
                .keybridge(result.keybridge()).stock(result.stock())
                .noTarget("issue 7")
                .write();
    }

    /** ID tokens are single-use, so every sign-in presents a new one (new jti), as an app gets from Google. */
    private static String freshIdToken(FakeProvider google) {
        Map<String, Object> claims = google.claims(GOOGLE_SUBJECT, BrokerRealm.GOOGLE_ANDROID_CLIENT);
        claims.put("email", "linked@example.org");
        claims.put("email_verified", true);
        return google.sign(claims);
    }

    private static void expectTokens(Http.Response reply) {
        assertEquals(200, reply.status(), () -> reply.body().toString());
        assertNotNull(reply.string("refresh_token"), "a refresh token in the reply");
    }
}

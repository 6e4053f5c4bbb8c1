package dev.keybridge.it.compat.ertis;

import static dev.keybridge.it.compat.ertis.ErtisTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.it.brokers.BrokerRealm;
import dev.keybridge.it.brokers.FakeProvider;
import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * ErtisAuth's Google and Apple login runs native sign-in, so the IdP's login policy holds there too: a post login
 * flow that would ask for OTP, and a link-only IdP, refuse in ErtisAuth's error shape and create nobody.
 */
@KeycloakIntegrationTest
class ErtisSocialPolicyTest {

    @InjectRealm(config = PolicyMembership.class)
    ManagedRealm realm;

    static class PolicyMembership implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            IdentityProviderRepresentation google = BrokerRealm.googleIdp("google", FakeProvider.google(), Map.of());
            google.setPostBrokerLoginFlowAlias("otp after broker login");
            IdentityProviderRepresentation apple = BrokerRealm.appleIdp("apple", FakeProvider.apple(), Map.of());
            apple.setLinkOnly(true);
            return realm.clients(ClientBuilder.create(ErtisTest.CLIENT).publicClient()
                            .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "google apple"))
                    .identityProviders(google, apple)
                    .update(r -> r.setAuthenticationFlows(List.of(BrokerRealm.flow("otp after broker login",
                            BrokerRealm.step("auth-otp-form", "REQUIRED", null)))));
        }
    }

    private Http.Response login(String provider, String idToken) throws Exception {
        return Http.at(realm).resource("ertis").send("POST", "api/v1/oauth/" + provider + "/login",
                Http.toJson(Map.of("token", Map.of("idToken", idToken))),
                Map.of("Content-Type", "application/json", "X-Ertis-Alias", realm.getName(), "X-IpAddress", "203.0.113.9",
                        "X-UserAgent", "ErtisClient/1.0"));
    }

    private static String idToken(FakeProvider provider, String subject, String audience, String email) {
        Map<String, Object> claims = provider.claims(subject, audience);
        claims.put("email", email);
        claims.put("email_verified", true);
        claims.put("given_name", "Pol");
        claims.put("family_name", "Icy");
        return provider.sign(claims);
    }

    @Test
    void postLoginFlowAndLinkOnlyIdpRefuseWithoutCreatingUsers() throws Exception {
        Http.Response otp = login("google", idToken(FakeProvider.google(), "ertis-otp-sub", BrokerRealm.GOOGLE_WEB_CLIENT,
                "otp@example.org"));
        assertError(otp, 401, "Unauthorized");
        assertTrue(otp.body().contains("post login flow of identity provider 'google' needs the browser at step auth-otp-form"), otp.body());

        Http.Response linkOnly = login("apple", idToken(FakeProvider.apple(), "ertis-link-only-sub", BrokerRealm.BUNDLE_ID,
                "link.only@example.org"));
        assertError(linkOnly, 401, "Unauthorized");
        assertTrue(linkOnly.body().contains("is link-only"), linkOnly.body());

        assertEquals(List.of(), realm.admin().users().searchByEmail("otp@example.org", true));
        assertEquals(List.of(), realm.admin().users().searchByEmail("link.only@example.org", true));
    }
}

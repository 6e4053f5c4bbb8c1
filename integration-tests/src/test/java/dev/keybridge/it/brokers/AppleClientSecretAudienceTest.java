package dev.keybridge.it.brokers;

import java.util.List;
import java.util.Map;

import dev.keybridge.broker.apple.AppleIdentityProviderConfig;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

import static dev.keybridge.it.brokers.BrokerRealm.WEB_REDIRECT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code aud} of the client secret sent to Apple's token endpoint is Apple's fixed audience, not the
 * configured base URL (a proxy or a test fake): the fakes, like Apple, refuse any other audience. An
 * operator who really needs another audience sets it apart from the base URL.
 */
@KeycloakIntegrationTest
class AppleClientSecretAudienceTest {

    private static final String OTHER_AUDIENCE = "https://apple-gateway.example.org";

    @InjectRealm(config = AudienceRealm.class)
    ManagedRealm realm;

    private final FakeProvider apple = FakeProvider.apple();
    private final FakeProvider gateway = FakeProvider.apple("apple-gateway");

    /** "apple" on the default audience, "apple-gateway" configured with {@link #OTHER_AUDIENCE}, both at local fakes. */
    static class AudienceRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            FakeProvider apple = FakeProvider.apple();
            apple.expectClientSecret(BrokerRealm.TEAM_ID, BrokerRealm.SERVICES_ID, BrokerRealm.APPLE_P8);
            FakeProvider gateway = FakeProvider.apple("apple-gateway");
            gateway.expectClientSecret(BrokerRealm.TEAM_ID, BrokerRealm.SERVICES_ID, BrokerRealm.APPLE_P8);
            gateway.expectClientSecretAudience(OTHER_AUDIENCE);
            return realm.clients(ClientBuilder.create("web").publicClient().redirectUris(WEB_REDIRECT))
                    .identityProviders(BrokerRealm.appleIdp("apple", apple, Map.of()),
                            BrokerRealm.appleIdp("apple-gateway", gateway,
                                    Map.of(AppleIdentityProviderConfig.CLIENT_SECRET_AUDIENCE, OTHER_AUDIENCE)));
        }
    }

    @Test
    void clientSecretIsForAppleWhateverTheBaseUrl() {
        assertBrowserLoginSucceeds("apple", apple, "apple-aud-001");
    }

    @Test
    void configuredAudienceIsUsedInsteadOfApples() {
        assertBrowserLoginSucceeds("apple-gateway", gateway, "apple-aud-002");
    }

    private void assertBrowserLoginSucceeds(String alias, FakeProvider provider, String subject) {
        // with email and name first-broker-login has nothing to ask and creates the user at once
        provider.nextSignIn(subject, subject + "@privaterelay.appleid.com", "{\"name\":{\"firstName\":\"Aud\",\"lastName\":\"Ience\"}}");
        Browser browser = new Browser();
        AppleLogins.assertRedirectedWithCode(
                AppleLogins.postBack(browser, AppleLogins.openAuthorize(browser, realm.getBaseUrl(), alias, provider)));
        assertEquals(List.of(), provider.tokenRequestErrors(), "the fake refused the client secret");
    }
}

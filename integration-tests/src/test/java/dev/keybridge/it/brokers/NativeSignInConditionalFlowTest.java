package dev.keybridge.it.brokers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * Conditional sub-flows of an identity provider's post-login flow are evaluated as the browser evaluates them: an
 * "OTP if configured" sub-flow is skipped for a user without OTP (native sign-in goes ahead) and needs the browser for
 * a user with OTP; a condition that cannot be judged without a browser session counts as needing the browser.
 */
@KeycloakIntegrationTest
class NativeSignInConditionalFlowTest {

    @InjectRealm(config = ConditionalRealm.class)
    ManagedRealm realm;

    private final FakeProvider google = FakeProvider.google();

    static class ConditionalRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            FakeProvider google = FakeProvider.google();
            return realm.eventsEnabled(true)
                    .clients(ClientBuilder.create("mobile").publicClient()
                            .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "google-otp-if-set google-loa"))
                    .identityProviders(afterLogin(BrokerRealm.googleIdp("google-otp-if-set", google, Map.of()), "otp if configured after login"),
                            afterLogin(BrokerRealm.googleIdp("google-loa", google, Map.of()), "otp by level after login"))
                    .users(UserBuilder.create("nora").email("nora@example.org").emailVerified(true).name("No", "Otp")
                                    .federatedLink("google-otp-if-set", "nora-sub", "nora@example.org"),
                            UserBuilder.create("olga").email("olga@example.org").emailVerified(true).name("Ol", "Ga")
                                    .totpSecret("JBSWY3DPEHPK3PXP").federatedLink("google-otp-if-set", "olga-sub", "olga@example.org"))
                    .update(BrokerRealm::namesAndEmailOptional, ConditionalRealm::flows);
        }

        private static IdentityProviderRepresentation afterLogin(IdentityProviderRepresentation idp, String flow) {
            idp.setPostBrokerLoginFlowAlias(flow);
            return idp;
        }

        private static void flows(RealmRepresentation realm) {
            realm.setAuthenticationFlows(List.of(
                    BrokerRealm.flow("otp if configured after login", conditional("otp if configured")),
                    subFlow("otp if configured", BrokerRealm.step("conditional-user-configured", "REQUIRED", null),
                            BrokerRealm.step("auth-otp-form", "REQUIRED", null)),
                    BrokerRealm.flow("otp by level after login", conditional("otp by level")),
                    subFlow("otp by level", BrokerRealm.step("conditional-level-of-authentication", "REQUIRED", null),
                            BrokerRealm.step("auth-otp-form", "REQUIRED", null))));
        }

        private static AuthenticationExecutionExportRepresentation conditional(String subFlow) {
            AuthenticationExecutionExportRepresentation execution = new AuthenticationExecutionExportRepresentation();
            execution.setAuthenticatorFlow(true);
            execution.setFlowAlias(subFlow);
            execution.setRequirement("CONDITIONAL");
            execution.setUserSetupAllowed(false);
            return execution;
        }

        private static AuthenticationFlowRepresentation subFlow(String alias, AuthenticationExecutionExportRepresentation... steps) {
            AuthenticationFlowRepresentation flow = BrokerRealm.flow(alias, steps);
            flow.setTopLevel(false);
            return flow;
        }
    }

    private Http.Response signIn(String alias, Map<String, Object> claims) {
        return Http.at(realm).exchange("mobile", alias, google.sign(claims), null);
    }

    @Test
    void usersWithoutOtpSignInNatively() {
        Http.Response nora = signIn("google-otp-if-set", NativeSignInPolicyTest.person(google, "nora-sub", "nora@example.org"));
        assertEquals(200, nora.status(), nora.body());
        assertEquals(realm.admin().users().search("nora", true).get(0).getId(), Jwt.claims(nora.string("access_token")).path("sub").asText());

        // a new account has no OTP either: created, signed in
        Http.Response newcomer = signIn("google-otp-if-set", NativeSignInPolicyTest.person(google, "nia-sub", "nia@example.org"));
        assertEquals(200, newcomer.status(), newcomer.body());
        assertEquals(1, realm.admin().users().searchByEmail("nia@example.org", true).size());
    }

    @Test
    void aUserWithOtpIsSentToTheBrowser() {
        assertRefused(signIn("google-otp-if-set", NativeSignInPolicyTest.person(google, "olga-sub", "olga@example.org")),
                "post login flow of identity provider 'google-otp-if-set' needs the browser at step conditional sub-flow"
                        + " 'otp if configured' at step auth-otp-form");
    }

    @Test
    void aConditionNativeSignInCannotJudgeIsNeverAPass() {
        assertRefused(signIn("google-loa", NativeSignInPolicyTest.person(google, "lou-sub", "lou@example.org")),
                "needs the browser at step conditional sub-flow 'otp by level' (condition conditional-level-of-authentication"
                        + " is evaluated only in the browser)");
        assertEquals(List.of(), realm.admin().users().searchByEmail("lou@example.org", true), "a refused first sign-in keeps no account");
    }

    private void assertRefused(Http.Response reply, String descriptionPart) {
        NativeSignInPolicyTest.assertRefused(realm, reply, "interaction_required", descriptionPart, "interaction_required");
    }
}

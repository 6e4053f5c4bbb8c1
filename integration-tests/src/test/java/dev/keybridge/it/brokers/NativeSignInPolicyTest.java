package dev.keybridge.it.brokers;

import static dev.keybridge.it.brokers.BrokerRealm.GOOGLE_WEB_CLIENT;
import static dev.keybridge.it.brokers.BrokerRealm.SERVICES_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.broker.nativesignin.NativeSignInGrantTypeFactory;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * Native sign-in keeps the login policy a browser login through the same identity provider would
 * apply: flows that would show a page, link-only and disabled IdPs, pending required actions, the
 * IdP's trust-email switch, audiences the app doesn't own, malformed tokens, and two first sign-ins
 * of one person at once. Each refusal is a 400 with an error event and leaves no user behind.
 */
@KeycloakIntegrationTest
class NativeSignInPolicyTest {

    @InjectRealm(config = PolicyRealm.class)
    ManagedRealm realm;

    private final FakeProvider google = FakeProvider.google();
    private final FakeProvider apple = FakeProvider.apple();

    static class PolicyRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            FakeProvider google = FakeProvider.google();
            return realm.eventsEnabled(true)
                    .clients(ClientBuilder.create("mobile").publicClient().attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS,
                            "google google-link google-otp-after google-link-only google-deny google-review-on google-quiet"
                                    + " google-disabled apple-untrusted"),
                            ClientBuilder.create("consenting-mobile").publicClient().consentRequired(true)
                                    .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "google"))
                    .identityProviders(
                            BrokerRealm.googleIdp("google", google, Map.of()),
                            BrokerRealm.googleIdp("google-link", google, Map.of(NativeSignInSettings.LINK_BY_VERIFIED_EMAIL, "true")),
                            withFlows(BrokerRealm.googleIdp("google-otp-after", google, Map.of()), null, "otp after broker login"),
                            linkOnly(BrokerRealm.googleIdp("google-link-only", google, Map.of())),
                            withFlows(BrokerRealm.googleIdp("google-deny", google, Map.of()), "deny first login", null),
                            withFlows(BrokerRealm.googleIdp("google-review-on", google, Map.of()), "always review profile", null),
                            withFlows(BrokerRealm.googleIdp("google-quiet", google, Map.of()), "quiet first login", null),
                            disabled(BrokerRealm.googleIdp("google-disabled", google, Map.of())),
                            untrusted(BrokerRealm.appleIdp("apple-untrusted", FakeProvider.apple(),
                                    Map.of(NativeSignInSettings.LINK_BY_VERIFIED_EMAIL, "true"))))
                    .users(UserBuilder.create("pending").email("pending@example.org").emailVerified(true).name("Pen", "Ding")
                                    .requiredActions("UPDATE_PASSWORD", "CONFIGURE_TOTP").federatedLink("google", "pending-sub", "pending@example.org"),
                            UserBuilder.create("lina").email("lina@example.org").emailVerified(true).name("Li", "Na")
                                    .federatedLink("google", "lina-sub", "lina@example.org"),
                            UserBuilder.create("vera").email("vera@example.org").emailVerified(true).name("Vera", "Verified"),
                            UserBuilder.create("gail").email("gail@gmail.com").emailVerified(true).name("Gail", "Gmail")
                                    .federatedLink("google-link", "gail-first-sub", "gail@gmail.com"))
                    .update(PolicyRealm::flows);
        }

        private static void flows(org.keycloak.representations.idm.RealmRepresentation realm) {
            realm.setAuthenticatorConfig(List.of(config("review always", Map.of("update.profile.on.first.login", "on")),
                    config("review off", Map.of("update.profile.on.first.login", "off"))));
            realm.setAuthenticationFlows(List.of(
                    BrokerRealm.flow("otp after broker login", BrokerRealm.step("auth-otp-form", "REQUIRED", null)),
                    BrokerRealm.flow("deny first login", BrokerRealm.step("deny-access-authenticator", "REQUIRED", null)),
                    BrokerRealm.flow("always review profile", BrokerRealm.step("idp-review-profile", "REQUIRED", "review always"),
                            BrokerRealm.step("idp-create-user-if-unique", "REQUIRED", null)),
                    BrokerRealm.flow("quiet first login", BrokerRealm.step("idp-review-profile", "REQUIRED", "review off"),
                            BrokerRealm.step("idp-create-user-if-unique", "REQUIRED", null))));
        }

        private static AuthenticatorConfigRepresentation config(String alias, Map<String, String> values) {
            AuthenticatorConfigRepresentation config = new AuthenticatorConfigRepresentation();
            config.setAlias(alias);
            config.setConfig(values);
            return config;
        }

        private static IdentityProviderRepresentation withFlows(IdentityProviderRepresentation idp, String firstLogin, String afterLogin) {
            if (firstLogin != null) {
                idp.setFirstBrokerLoginFlowAlias(firstLogin);
            }
            idp.setPostBrokerLoginFlowAlias(afterLogin);
            return idp;
        }

        private static IdentityProviderRepresentation linkOnly(IdentityProviderRepresentation idp) {
            idp.setLinkOnly(true);
            return idp;
        }

        private static IdentityProviderRepresentation disabled(IdentityProviderRepresentation idp) {
            idp.setEnabled(false);
            return idp;
        }

        private static IdentityProviderRepresentation untrusted(IdentityProviderRepresentation idp) {
            idp.setTrustEmail(false);
            return idp;
        }
    }

    @Test
    void stockFirstLoginFlowCreatesAPersonWithACompleteProfileAndSendsOthersToTheBrowser() {
        Http.Response complete = signIn("google", person("stock-complete-sub", "stock.complete@example.org"));
        assertEquals(200, complete.status(), complete.body().toString());
        assertEquals(1, realm.admin().users().searchByEmail("stock.complete@example.org", true).size());

        // the stock flow's review-profile step ("missing") would ask for the names the token lacks
        Map<String, Object> nameless = google.claims("stock-nameless-sub", GOOGLE_WEB_CLIENT);
        nameless.put("email", "stock.nameless@example.org");
        nameless.put("email_verified", true);
        assertRefused(signIn("google", nameless), "interaction_required", "first login flow of identity provider 'google' needs the browser"
                + " at step idp-review-profile", "interaction_required");
        assertEquals(List.of(), realm.admin().users().searchByEmail("stock.nameless@example.org", true));

        // a flow whose review step is off creates the same person without asking
        Map<String, Object> quiet = google.claims("quiet-nameless-sub", GOOGLE_WEB_CLIENT);
        quiet.put("email", "quiet.nameless@example.org");
        quiet.put("email_verified", true);
        assertEquals(200, signIn("google-quiet", quiet).status());
    }

    @Test
    void flowsThatWouldShowAPageOrDenyRefuseWithoutCreatingAnyone() {
        int users = realm.admin().users().count();
        assertRefused(signIn("google-otp-after", person("otp-after-sub", "otp.after@example.org")), "interaction_required",
                "post login flow of identity provider 'google-otp-after' needs the browser at step auth-otp-form", "interaction_required");
        assertRefused(signIn("google-review-on", person("review-on-sub", "review.on@example.org")), "interaction_required",
                "needs the browser at step idp-review-profile (update profile on first login: on)", "interaction_required");
        assertRefused(signIn("google-deny", person("deny-sub", "deny@example.org")), "invalid_grant",
                "first login flow of identity provider 'google-deny' denies access (deny-access-authenticator)", "access_denied");
        assertRefused(signIn("google-link-only", person("link-only-sub", "link.only@example.org")), "invalid_grant",
                "identity provider 'google-link-only' is link-only", "not_allowed");
        assertRefused(signIn("google-disabled", person("disabled-sub", "disabled@example.org")), "invalid_request",
                "'google-disabled' is not an enabled Apple, Google, Microsoft or Facebook identity provider", "unknown_identity_provider");
        assertEquals(users, realm.admin().users().count(), "a refused sign-in created a user");
    }

    @Test
    void pendingRequiredActionsSendTheAppToTheBrowser() {
        assertRefused(signIn("google", person("pending-sub", "pending@example.org")), "interaction_required",
                "Account is not fully set up: required actions [", "resolve_required_actions");
    }

    @Test
    void aClientThatRequiresConsentGetsItInTheBrowser() {
        Http.Response linked = Http.at(realm).exchange("consenting-mobile", "google",
                google.sign(person("lina-sub", "lina@example.org")), null);
        assertRefused(linked, "interaction_required", "client 'consenting-mobile' requires consent to scope 'openid'", "consent_denied");
        Http.Response newcomer = Http.at(realm).exchange("consenting-mobile", "google",
                google.sign(person("consent-newcomer-sub", "consent.newcomer@example.org")), null);
        assertRefused(newcomer, "interaction_required", "requires consent", "consent_denied");
        assertEquals(List.of(), realm.admin().users().searchByEmail("consent.newcomer@example.org", true));
        assertEquals(200, signIn("google", person("lina-sub", "lina@example.org")).status(), "the same person through a client without consent");
    }

    @Test
    void linkingByEmailNeedsTheIdpToTrustEmail() {
        Map<String, Object> claims = apple.claims("apple-untrusted-vera", SERVICES_ID);
        claims.put("email", "vera@example.org");
        claims.put("email_verified", "true");
        assertRefused(Http.at(realm).exchange("mobile", "apple-untrusted", apple.sign(claims), null), "invalid_grant",
                "it is linked only when identity provider 'apple-untrusted' trusts email", "federated_identity_account_exists");
        assertEquals(List.of(), links("vera"));

        // Google: only where Google is authoritative for the address (gmail.com, or a Workspace account with hd)
        Map<String, Object> foreign = person("google-vera-sub", "vera@example.org");
        assertRefused(signIn("google-link", foreign), "invalid_grant", "gmail.com or a hosted domain", "federated_identity_account_exists");
        Map<String, Object> workspace = person("google-vera-sub", "vera@example.org");
        workspace.put("hd", "example.org");
        assertEquals(200, signIn("google-link", workspace).status());
        assertEquals(List.of("google-link:google-vera-sub"), links("vera"));
    }

    @Test
    void anAccountAlreadyLinkedToAnotherIdentityOfTheIdpIsNotLinkedAgain() {
        Http.Response reply = signIn("google-link", person("gail-second-sub", "gail@gmail.com"));
        assertRefused(reply, "invalid_grant", "already linked to another 'google-link' identity", "federated_identity_account_exists");
        assertEquals(List.of("google-link:gail-first-sub"), links("gail"));
    }

    @Test
    void concurrentFirstSignInsOfOnePersonEndAsOneUser() throws Exception {
        int parallel = 6;
        List<Callable<Http.Response>> requests = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            String token = google.sign(person("race-sub", "race@example.org"));
            requests.add(() -> signIn("google", token));
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<String> subjects = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try {
            for (Future<Http.Response> future : pool.invokeAll(requests)) {
                Http.Response reply = future.get();
                if (reply.status() == 200) {
                    subjects.add(Jwt.claims(reply.string("access_token")).path("sub").asText());
                } else {
                    failures.add(reply.status() + " " + reply.body());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), failures, "every racing first sign-in succeeds");
        List<UserRepresentation> users = realm.admin().users().searchByEmail("race@example.org", true);
        assertEquals(1, users.size());
        assertTrue(subjects.stream().allMatch(users.get(0).getId()::equals), "all signed in as the one user: " + subjects);
    }

    @Test
    void aTokenForAnotherAppThatAlsoNamesOursIsRefused() {
        Map<String, Object> claims = person("evil-aud-sub", "evil.aud@example.org");
        claims.put("aud", List.of("com.evil.app", GOOGLE_WEB_CLIENT));
        claims.put("azp", "com.evil.app");
        assertRefused(signIn("google", claims), "invalid_grant", "untrusted: [com.evil.app]", "invalid_token");
        claims.put("aud", GOOGLE_WEB_CLIENT);
        assertRefused(signIn("google", claims), "invalid_grant", "authorized party (azp) 'com.evil.app' is not allowed", "invalid_token");
        assertEquals(List.of(), realm.admin().users().searchByEmail("evil.aud@example.org", true));
    }

    @Test
    void aTokenWhoseHeaderIsJsonNullIsRefusedInBothRequestShapes() {
        String nullHeader = "bnVsbA.e30.AAAA";
        assertRefused(Http.at(realm).exchange("mobile", "google", nullHeader, null), "invalid_grant",
                "header is not a JSON object", "invalid_token");
        Http.Response grant = Http.at(realm).token(Map.of("grant_type", NativeSignInGrantTypeFactory.PROVIDER_ID,
                "client_id", "mobile", "subject_token", nullHeader, "subject_issuer", "google"));
        assertEquals(400, grant.status(), grant.body().toString());
        assertEquals("invalid_grant", grant.string("error"));
        assertTrue(realm.admin().getEvents(List.of("LOGIN_ERROR"), null, null, null, null, null, 0, 100).stream()
                .anyMatch(e -> "invalid_token".equals(e.getError()) && String.valueOf(e.getDetails().get("reason")).contains("header is not a JSON object")),
                "LOGIN_ERROR event of the custom grant");
    }

    private Map<String, Object> person(String subject, String email) {
        return person(google, subject, email);
    }

    /** Claims of a Google ID token with a complete profile: names, and a verified email. */
    static Map<String, Object> person(FakeProvider google, String subject, String email) {
        Map<String, Object> claims = google.claims(subject, GOOGLE_WEB_CLIENT);
        claims.put("email", email);
        claims.put("email_verified", true);
        claims.put("given_name", "Given");
        claims.put("family_name", "Family");
        return claims;
    }

    private Http.Response signIn(String alias, Map<String, Object> claims) {
        return signIn(alias, google.sign(claims));
    }

    private Http.Response signIn(String alias, String token) {
        return Http.at(realm).exchange("mobile", alias, token, null);
    }

    private void assertRefused(Http.Response reply, String error, String descriptionPart, String eventError) {
        assertRefused(realm, reply, error, descriptionPart, eventError);
    }

    /** A 400 with this error and a description containing the part, recorded as a TOKEN_EXCHANGE_ERROR event with it as reason. */
    static void assertRefused(ManagedRealm realm, Http.Response reply, String error, String descriptionPart, String eventError) {
        assertEquals(400, reply.status(), reply.body());
        assertEquals(error, reply.string("error"), reply.body());
        String description = reply.string("error_description");
        assertTrue(description != null && description.contains(descriptionPart), "description: " + description);
        List<EventRepresentation> events = realm.admin().getEvents(List.of("TOKEN_EXCHANGE_ERROR"), null, null, null, null, null, 0, 500);
        assertTrue(events.stream().anyMatch(e -> eventError.equals(e.getError()) && description.equals(e.getDetails().get("reason"))),
                "no TOKEN_EXCHANGE_ERROR event '" + eventError + "' with reason '" + description + "'");
    }

    private List<String> links(String username) {
        UserRepresentation user = realm.admin().users().search(username, true).get(0);
        return realm.admin().users().get(user.getId()).getFederatedIdentity().stream()
                .map(f -> f.getIdentityProvider() + ":" + f.getUserId()).toList();
    }
}

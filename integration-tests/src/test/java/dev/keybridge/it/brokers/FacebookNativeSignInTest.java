package dev.keybridge.it.brokers;

import static dev.keybridge.it.brokers.SignInChecks.assertRejected;
import static dev.keybridge.it.brokers.SignInChecks.events;
import static dev.keybridge.it.brokers.SignInChecks.links;
import static dev.keybridge.it.brokers.SignInChecks.singleUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.keybridge.broker.facebook.FacebookSettings;
import dev.keybridge.broker.facebook.FacebookSignIn;
import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.broker.nativesignin.NativeSignInGrantTypeFactory;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
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
 * Native sign-in with Facebook at the token endpoint: classic access tokens ({@code subject_token_type=...:access_token})
 * checked with a local Graph API, Limited Login ID tokens signed with the fake's keys, and the attacks on both — another
 * app's token, an invalid, expired or page token, another user's, forged ID tokens, replay, a failing Graph — plus the
 * IdP's login policy (disabled, link-only, sign-in only) and the email decision, each refusal with its event.
 */
@KeycloakIntegrationTest
class FacebookNativeSignInTest {

    private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    private static final FakeGraph GRAPH = FakeGraph.named("graph-native");

    @InjectRealm(config = FacebookRealm.class)
    ManagedRealm realm;

    private final FakeProvider limitedLogin = FakeProvider.facebook();

    static class FacebookRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            IdentityProviderRepresentation disabled = BrokerRealm.facebookIdp("facebook-disabled", GRAPH, Map.of());
            disabled.setEnabled(false);
            IdentityProviderRepresentation linkOnly = BrokerRealm.facebookIdp("facebook-link-only", GRAPH, Map.of());
            linkOnly.setLinkOnly(true);
            return realm.eventsEnabled(true)
                    .clients(ClientBuilder.create("mobile").publicClient().attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS,
                                    "facebook facebook-trusted facebook-disabled facebook-link-only facebook-signin-only google"),
                            ClientBuilder.create("other-app").publicClient())
                    .identityProviders(
                            BrokerRealm.facebookIdp("facebook", GRAPH, Map.of(NativeSignInSettings.LINK_BY_VERIFIED_EMAIL, "true")),
                            BrokerRealm.facebookIdp("facebook-trusted", GRAPH, Map.of(NativeSignInSettings.LINK_BY_VERIFIED_EMAIL, "true",
                                    FacebookSettings.EMAIL_VERIFIED, "true")),
                            disabled, linkOnly,
                            BrokerRealm.facebookIdp("facebook-signin-only", GRAPH, Map.of(NativeSignInSettings.SIGN_IN_ONLY, "true")),
                            BrokerRealm.googleIdp("google", FakeProvider.google(), Map.of()))
                    .users(UserBuilder.create("ann").email("ann@example.org").emailVerified(true).name("Ann", "Existing"))
                    .update(BrokerRealm::namesAndEmailOptional);
        }
    }

    @Test
    void classicAccessTokenSignsInAgainAndAgainAsTheGraphUser() {
        String token = GRAPH.userToken("fb-1001", "Fay", "Book", "fay@example.org");

        Http.Response first = classic("facebook", token, "fb-1001", Http.TOKEN_EXCHANGE);
        assertEquals(200, first.status(), first.body());
        assertEquals(ACCESS_TOKEN_TYPE, first.string("issued_token_type"));
        assertNotNull(first.string("refresh_token"));
        UserRepresentation fay = singleUser(realm, "fay@example.org");
        assertEquals(List.of("facebook:fb-1001"), links(realm, fay), "linked by Graph's user id, as the browser login links");
        assertEquals("Fay", fay.getFirstName());
        assertFalse(fay.isEmailVerified(), "Facebook's email is not verified unless the IdP says so");
        assertEquals(fay.getId(), Jwt.claims(first.string("access_token")).path("sub").asText());
        assertTrue(events(realm, "REGISTER").stream().anyMatch(e -> fay.getId().equals(e.getUserId())
                && "facebook".equals(e.getDetails().get("identity_provider"))), "REGISTER event");

        // a classic token is a bearer token the SDK keeps for weeks: it signs in again, through the grant type too
        Http.Response again = classic("facebook", token, null, NativeSignInGrantTypeFactory.PROVIDER_ID);
        assertEquals(200, again.status(), again.body());
        assertEquals(fay.getId(), Jwt.claims(again.string("access_token")).path("sub").asText());

        List<FakeGraph.Request> inspections = GRAPH.requests().stream()
                .filter(r -> "/debug_token".equals(r.path()) && token.equals(r.query().get("input_token"))).toList();
        assertEquals(2, inspections.size());
        inspections.forEach(r -> {
            assertEquals("Bearer " + FakeGraph.APP_ID + "|" + FakeGraph.APP_SECRET, r.authorization(), "the app's own credentials");
            assertFalse(r.query().containsKey("access_token"), "the app secret stays out of the URL");
        });
        assertTrue(GRAPH.requests().stream().anyMatch(r -> "/me".equals(r.path()) && ("Bearer " + token).equals(r.authorization())
                && r.query().get("appsecret_proof") != null && r.query().get("fields").contains("email")), "profile read with appsecret_proof");
        assertEquals(List.of(), GRAPH.problems(), "Graph would have accepted every request");
    }

    @Test
    void classicTokensNotOfThisAppOrUserAreRefused() {
        long now = Instant.now().getEpochSecond();
        assertRejected(classic("facebook", GRAPH.token("999000999", "fb-2001", "USER", now + 3600), null, Http.TOKEN_EXCHANGE),
                "issued to app '999000999'");
        assertRejected(classic("facebook", "EAAnotatokenFacebookIssued", null, Http.TOKEN_EXCHANGE), "not valid");
        assertRejected(classic("facebook", GRAPH.token(FakeGraph.APP_ID, "fb-2002", "USER", now - 10), null, Http.TOKEN_EXCHANGE),
                "not valid");
        assertRejected(classic("facebook", GRAPH.token(FakeGraph.APP_ID, "fb-2003", "PAGE", now + 3600), null, Http.TOKEN_EXCHANGE),
                "not a user token");
        assertRejected(classic("facebook", GRAPH.userToken("fb-2004", "Mal", "Lory", "mal@example.org"), "fb-9999",
                Http.TOKEN_EXCHANGE), "another user");

        // an access token is no subject token for another kind of IdP: the grant says so, the exchange leaves it to Keycloak's own
        String gusToken = GRAPH.userToken("fb-2005", "Gus", "Gle", null);
        Http.Response notFacebook = classic("google", gusToken, null, NativeSignInGrantTypeFactory.PROVIDER_ID);
        assertEquals(400, notFacebook.status(), notFacebook.body());
        assertEquals("invalid_request", notFacebook.string("error"));
        assertTrue(notFacebook.string("error_description").contains("Facebook identity providers only"), notFacebook.body());
        Http.Response exchanged = classic("google", gusToken, null, Http.TOKEN_EXCHANGE);
        assertTrue(exchanged.status() >= 400 && exchanged.status() < 500, exchanged.body());

        assertEquals(List.of(), realm.admin().users().search("fb-200", 0, 10), "no account for any refused token");
        assertEquals(List.of(), realm.admin().users().searchByEmail("mal@example.org", true));
        assertTrue(events(realm, "TOKEN_EXCHANGE_ERROR").stream().anyMatch(e -> "invalid_token".equals(e.getError())
                && "facebook".equals(e.getDetails().get("identity_provider"))
                && e.getDetails().get("reason").contains("issued to app '999000999'")), "token substitution event");
    }

    @Test
    void limitedLoginIdTokensAreVerifiedAndSingleUse() {
        Map<String, Object> claims = limitedLogin.claims("fb-ll-3001", FakeGraph.APP_ID);
        claims.put("nonce", "ll-nonce-1");
        claims.put("email", "lim@example.org");
        claims.put("given_name", "Lim");
        String token = limitedLogin.sign(claims);
        Http.Response first = Http.at(realm).exchange("mobile", "facebook", token, "ll-nonce-1");
        assertEquals(200, first.status(), first.body());
        UserRepresentation lim = singleUser(realm, "lim@example.org");
        assertEquals(List.of("facebook:fb-ll-3001"), links(realm, lim));
        assertFalse(lim.isEmailVerified());

        assertRejected(Http.at(realm).exchange("mobile", "facebook", token, "ll-nonce-1"), "already used");
        assertTrue(events(realm, "TOKEN_EXCHANGE_ERROR").stream().anyMatch(e -> "id_token_replayed".equals(e.getError())
                && "facebook".equals(e.getDetails().get("identity_provider"))), "replay event");

        Map<String, Object> eve = limitedLogin.claims("fb-ll-3666", FakeGraph.APP_ID);
        eve.put("email", "eve@example.org");
        assertRejected(exchange(FakeProvider.sign(eve, new FakeProvider.SigningKey(limitedLogin.currentKey().kid(), "RS256",
                FakeProvider.generate("RS256")))), "signature is invalid");
        assertRejected(exchange(limitedLogin.sign(limitedLogin.claims("fb-ll-3666", "999000999"))), "audience");
        Map<String, Object> none = new LinkedHashMap<>(Map.of("alg", "none", "kid", limitedLogin.currentKey().kid()));
        assertRejected(exchange(FakeProvider.base64Json(none) + "." + FakeProvider.base64Json(eve) + "."), "algorithm 'none'");
        Map<String, Object> google = limitedLogin.claims("fb-ll-3666", FakeGraph.APP_ID);
        google.put("iss", "https://accounts.google.com");
        assertRejected(exchange(limitedLogin.sign(google)), "issuer");
        assertEquals(List.of(), realm.admin().users().searchByEmail("eve@example.org", true));
    }

    @Test
    void theIdpsLoginPolicyHolds() {
        String token = GRAPH.userToken("fb-4001", "Pol", "Icy", "pol@example.org");
        Http.Response disabled = classic("facebook-disabled", token, null, Http.TOKEN_EXCHANGE);
        assertEquals(400, disabled.status());
        assertTrue(disabled.string("error_description").contains("is not an enabled"), disabled.body());
        assertRejected(classic("facebook-link-only", token, null, Http.TOKEN_EXCHANGE), "is link-only");
        assertRejected(classic("facebook-signin-only", token, null, Http.TOKEN_EXCHANGE), "sign-up is disabled");
        Http.Response otherApp = Http.at(realm).token(Map.of("grant_type", Http.TOKEN_EXCHANGE,
                "client_id", "other-app", "subject_token", token, "subject_token_type", ACCESS_TOKEN_TYPE, "subject_issuer", "facebook"));
        assertEquals("unauthorized_client", otherApp.string("error"), otherApp.body());
        assertEquals(List.of(), realm.admin().users().searchByEmail("pol@example.org", true));
        List<EventRepresentation> errors = events(realm, "TOKEN_EXCHANGE_ERROR");
        for (String alias : List.of("facebook-disabled", "facebook-link-only", "facebook-signin-only")) {
            assertTrue(errors.stream().anyMatch(e -> alias.equals(e.getDetails().get("identity_provider")) && e.getError() != null),
                    "refusal event for " + alias);
        }
    }

    @Test
    void facebooksEmailLinksAnAccountOnlyWhenTheIdpCountsItVerified() {
        String token = GRAPH.userToken("fb-ann", "Ann", "Existing", "ann@example.org");
        assertRejected(classic("facebook", token, null, Http.TOKEN_EXCHANGE), "verified on both sides");
        assertEquals(List.of(), links(realm, singleUser(realm, "ann")));

        Http.Response linked = classic("facebook-trusted", token, null, Http.TOKEN_EXCHANGE);
        assertEquals(200, linked.status(), linked.body());
        UserRepresentation ann = singleUser(realm, "ann");
        assertEquals(List.of("facebook-trusted:fb-ann"), links(realm, ann));
        assertEquals(ann.getId(), Jwt.claims(linked.string("access_token")).path("sub").asText());
    }

    @Test
    void aFailingGraphRefusesWithoutServerError() {
        String token = GRAPH.userToken("fb-5001", "Dow", "N", "down@example.org");
        try {
            GRAPH.down(true);
            assertRejected(classic("facebook", token, null, Http.TOKEN_EXCHANGE), "could not be checked");
            GRAPH.down(false);
            GRAPH.garbage(true);
            assertRejected(classic("facebook", token, null, Http.TOKEN_EXCHANGE), "could not be checked");
            GRAPH.garbage(false);
            GRAPH.slow(Duration.ofMillis(2500));
            long start = System.nanoTime();
            assertRejected(classic("facebook", token, null, Http.TOKEN_EXCHANGE), "could not be checked");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2400, "the IdP's Graph timeout (1 s) bounds the wait");
        } finally {
            GRAPH.down(false);
            GRAPH.garbage(false);
            GRAPH.slow(Duration.ZERO);
        }
        assertEquals(List.of(), realm.admin().users().searchByEmail("down@example.org", true));
        assertTrue(events(realm, "TOKEN_EXCHANGE_ERROR").stream().filter(e -> e.getDetails().get("reason").contains("could not be checked")).count() >= 3,
                "one event per refusal");
        assertEquals(200, classic("facebook", token, null, Http.TOKEN_EXCHANGE).status(), "once Graph answers, the token signs in");
    }

    private Http.Response classic(String alias, String token, String userId, String grantType) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", grantType);
        form.put("client_id", "mobile");
        form.put("subject_token", token);
        form.put("subject_token_type", ACCESS_TOKEN_TYPE);
        form.put("subject_issuer", alias);
        form.put("scope", "openid");
        if (userId != null) {
            form.put(FacebookSignIn.USER_ID, userId);
        }
        return Http.at(realm).token(form);
    }

    private Http.Response exchange(String idToken) {
        return Http.at(realm).exchange("mobile", "facebook", idToken, null);
    }
}

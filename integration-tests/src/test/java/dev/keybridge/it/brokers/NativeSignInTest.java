package dev.keybridge.it.brokers;

import static dev.keybridge.it.brokers.BrokerRealm.BUNDLE_ID;
import static dev.keybridge.it.brokers.BrokerRealm.GOOGLE_ANDROID_CLIENT;
import static dev.keybridge.it.brokers.BrokerRealm.GOOGLE_WEB_CLIENT;
import static dev.keybridge.it.brokers.BrokerRealm.SERVICES_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.keybridge.broker.nativesignin.NativeSignInGrantTypeFactory;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * Native sign-in end to end: a public mobile client exchanges Apple and Google ID tokens minted
 * by the local fakes for Keycloak tokens, and every forged or misdirected token is refused with
 * invalid_grant, an error event, and no user created.
 */
@KeycloakIntegrationTest
class NativeSignInTest {

    @InjectRealm(config = BrokerRealm.class)
    ManagedRealm realm;

    private final FakeProvider apple = FakeProvider.apple();
    private final FakeProvider google = FakeProvider.google();

    @Test
    void firstAppleSignInCreatesUserAndReturnsRefreshableTokens() {
        Map<String, Object> claims = apple.claims("apple-new-001", BUNDLE_ID);
        claims.put("email", "abc123@privaterelay.appleid.com");
        claims.put("email_verified", "true");
        claims.put("nonce", "n-0S6_WzA2Mj");

        Http.Response reply = Http.at(realm).exchange("mobile", "apple", apple.sign(claims), "n-0S6_WzA2Mj");

        assertEquals(200, reply.status(), reply.body());
        assertNotNull(reply.string("access_token"));
        assertNotNull(reply.string("id_token"));
        String refreshToken = reply.string("refresh_token");
        assertNotNull(refreshToken, "native sign-in must return a refresh token");

        UserRepresentation user = singleUser("abc123@privaterelay.appleid.com");
        assertEquals("abc123@privaterelay.appleid.com", user.getEmail(), "private-relay email is kept as is");
        assertTrue(user.isEmailVerified());
        assertEquals(List.of("apple:apple-new-001"), links(user));
        List<String> roles = realm.admin().users().get(user.getId()).roles().realmLevel().listEffective().stream()
                .map(r -> r.getName()).toList();
        assertTrue(roles.contains(BrokerRealm.APPLE_ROLE), "the IdP's hardcoded-role mapper ran on import; roles " + roles
                + ", apple mappers " + realm.admin().identityProviders().get("apple").getMappers().stream().map(m -> m.getName()).toList());
        assertTrue(events("REGISTER").stream().anyMatch(e -> user.getId().equals(e.getUserId())
                && "apple".equals(e.getDetails().get("identity_provider"))), "REGISTER event for the new user");

        Http.Response refreshed = Http.at(realm).token(Map.of("grant_type", "refresh_token", "client_id", "mobile", "refresh_token", refreshToken));
        assertEquals(200, refreshed.status(), refreshed.body().toString());
        assertNotNull(refreshed.string("access_token"));

        // the second sign-in with the same Apple identity (a new ID token) reuses the account
        Http.Response again = Http.at(realm).exchange("mobile", "apple",
                apple.sign(FakeProvider.reissued(claims)), "n-0S6_WzA2Mj");
        assertEquals(200, again.status(), again.body().toString());
        assertEquals(1, realm.admin().users().search("abc123@privaterelay.appleid.com", true).size());
    }

    @Test
    void linkedGoogleUserSignsInThroughTheCustomGrantType() {
        Map<String, Object> claims = google.claims("google-linked-sub", GOOGLE_ANDROID_CLIENT);
        claims.put("email", "linked@example.org");
        claims.put("email_verified", true);
        claims.put("azp", GOOGLE_ANDROID_CLIENT);

        Http.Response reply = Http.at(realm).token(Map.of(
                "grant_type", NativeSignInGrantTypeFactory.PROVIDER_ID, "client_id", "mobile",
                "subject_token", google.sign(claims), "subject_issuer", "google"));

        assertEquals(200, reply.status(), reply.body());
        assertNotNull(reply.string("refresh_token"));
        String linkedId = singleUser("linked").getId();
        assertEquals(linkedId, accessTokenClaim(reply.string("access_token"), "sub"));
    }

    @Test
    void firstSignInLinksAnExistingAccountOnlyByVerifiedEmail() {
        Map<String, Object> annClaims = apple.claims("apple-ann-sub", SERVICES_ID);
        annClaims.put("email", "ann@example.org");
        annClaims.put("email_verified", "true");
        Http.Response linked = Http.at(realm).exchange("mobile", "apple", apple.sign(annClaims), null);
        assertEquals(200, linked.status(), linked.body().toString());
        UserRepresentation ann = singleUser("ann");
        assertEquals(List.of("apple:apple-ann-sub"), links(ann));
        assertEquals(ann.getId(), accessTokenClaim(linked.string("access_token"), "sub"));

        // the Keycloak account's email is unverified: no link, no new account
        Map<String, Object> umaClaims = apple.claims("apple-uma-sub", SERVICES_ID);
        umaClaims.put("email", "uma@example.org");
        umaClaims.put("email_verified", "true");
        assertRejected(Http.at(realm).exchange("mobile", "apple", apple.sign(umaClaims), null), "verified on both sides");
        assertTrue(links(singleUser("uma")).isEmpty());

        // Google's IdP does not allow linking by email at all
        Map<String, Object> googleAnn = google.claims("google-ann-sub", GOOGLE_WEB_CLIENT);
        googleAnn.put("email", "ann@example.org");
        googleAnn.put("email_verified", true);
        assertRejected(Http.at(realm).exchange("mobile", "google", google.sign(googleAnn), null), "already exists");
        assertEquals(List.of("apple:apple-ann-sub"), links(singleUser("ann")));
    }

    @Test
    void signInOnlyProviderRefusesUnknownPeople() {
        int users = realm.admin().users().count();
        Http.Response reply = Http.at(realm).exchange("mobile", "apple-signin-only",
                apple.sign(apple.claims("apple-stranger", SERVICES_ID)), null);
        assertRejected(reply, "sign-up is disabled");
        assertEquals(users, realm.admin().users().count());
    }

    @Test
    void rotatedKeysAreFetchedOnUnknownKid() {
        int fetches = apple.jwksRequests();
        FakeProvider.SigningKey rotated = apple.rotateKey("ES256");
        Http.Response reply = Http.at(realm).exchange("mobile", "apple",
                FakeProvider.sign(apple.claims("apple-rotated-sub", BUNDLE_ID), rotated), null);
        assertEquals(200, reply.status(), reply.body());
        assertTrue(apple.jwksRequests() > fetches, "the new kid made Keycloak refetch the JWKS");
    }

    @Test
    void anIdTokenSignsInOnlyOnce() {
        String appleToken = apple.sign(apple.claims("apple-replay-sub", BUNDLE_ID)); // Apple's tokens have no jti
        assertEquals(200, Http.at(realm).exchange("mobile", "apple", appleToken, null).status());
        Http.Response appleReplay = Http.at(realm).exchange("mobile", "apple", appleToken, null);
        assertRejected(appleReplay, "ID token was already used to sign in (sha256 ");
        // the same token through another IdP of the same issuer, or through the custom grant, is the same token
        assertRejected(Http.at(realm).exchange("mobile", "apple-signin-only", appleToken, null), "already used");
        assertRejected(Http.at(realm).token(Map.of("grant_type", NativeSignInGrantTypeFactory.PROVIDER_ID,
                "client_id", "mobile", "subject_token", appleToken, "subject_issuer", "apple")), "already used");

        Map<String, Object> googleClaims = google.claims("google-replay-sub", GOOGLE_WEB_CLIENT);
        String googleToken = google.sign(googleClaims);
        assertEquals(200, Http.at(realm).exchange("mobile", "google", googleToken, null).status());
        assertRejected(Http.at(realm).exchange("mobile", "google", googleToken, null),
                "already used to sign in (jti " + googleClaims.get("jti") + ")");
        Http.Response fresh = Http.at(realm).exchange("mobile", "google",
                google.sign(google.claims("google-replay-sub", GOOGLE_WEB_CLIENT)), null);
        assertEquals(200, fresh.status(), "a new token of the same person signs in: " + fresh.body());

        List<EventRepresentation> replays = events("TOKEN_EXCHANGE_ERROR").stream()
                .filter(e -> "id_token_replayed".equals(e.getError())).toList();
        assertTrue(replays.stream().anyMatch(e -> "apple".equals(e.getDetails().get("identity_provider"))
                && e.getDetails().get("token_id").startsWith("sha256 ") && e.getDetails().get("reason").contains("single-use")), "apple replay event");
        assertTrue(replays.stream().anyMatch(e -> ("jti " + googleClaims.get("jti")).equals(e.getDetails().get("token_id"))
                && "google-replay-sub".equals(e.getDetails().get("identity_provider_user_id"))), "google replay event");
        assertEquals(1, realm.admin().users().search("google.google-replay-sub", true).size(), "one user, created by the first token");
    }

    @Test
    void reusableIdTokensWhenTheIdpTurnsSingleUseOff() {
        Map<String, Object> claims = google.claims("google-corp-retry-sub", GOOGLE_WEB_CLIENT);
        claims.put("hd", "example.com");
        String token = google.sign(claims);
        assertEquals(200, Http.at(realm).exchange("mobile", "google-corp", token, null).status());
        Http.Response retry = Http.at(realm).exchange("mobile", "google-corp", token, null);
        assertEquals(200, retry.status(), "an app's retry with the same token: " + retry.body());
    }

    @Test
    void clientWithoutOptInIsRefused() {
        Http.Response reply = Http.at(realm).exchange("other-app", "apple",
                apple.sign(apple.claims("apple-other-app", SERVICES_ID)), null);
        assertEquals(400, reply.status());
        assertEquals("unauthorized_client", reply.string("error"));
    }

    @Test
    void forgedAndMisdirectedTokensAreRejectedWithoutCreatingUsers() throws Exception {
        String sub = "attacker-sub";
        Map<String, Supplier<String>> attacks = new LinkedHashMap<>();
        attacks.put("alg:none", () -> FakeProvider.unsigned(apple.claims(sub, SERVICES_ID), apple.currentKey()));
        attacks.put("HS256 keyed with the public key", () -> FakeProvider.hmacWithPublicKey(apple.claims(sub, SERVICES_ID), apple.currentKey()));
        attacks.put("unknown kid", () -> FakeProvider.sign(apple.claims(sub, SERVICES_ID), FakeProvider.unpublishedKey()));
        attacks.put("wrong iss", () -> apple.sign(with(apple.claims(sub, SERVICES_ID), "iss", "https://evil.example")));
        attacks.put("audience not allowed", () -> apple.sign(apple.claims(sub, "com.other.app")));
        attacks.put("expired", () -> apple.sign(with(with(apple.claims(sub, SERVICES_ID), "exp", now() - 3600), "iat", now() - 4000)));
        attacks.put("not yet valid", () -> apple.sign(with(apple.claims(sub, SERVICES_ID), "iat", now() + 3600)));
        attacks.put("tampered payload", () -> tamper(apple.sign(apple.claims(sub, SERVICES_ID))));
        attacks.put("token of the other provider", () -> google.sign(google.claims(sub, SERVICES_ID)));
        attacks.put("garbage", () -> "definitely-not-a-jwt");
        attacks.put("18 KB token", () -> "a".repeat(18 * 1024));

        int users = realm.admin().users().count();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Supplier<String>> attack : attacks.entrySet()) {
            Http.Response reply = Http.at(realm).exchange("mobile", "apple", attack.getValue().get(), null);
            if (reply.status() != 400 || !"invalid_grant".equals(reply.string("error"))) {
                failures.add(attack.getKey() + " -> " + reply.status() + " " + reply.body());
            }
        }
        Map<String, Object> nonced = with(apple.claims(sub, SERVICES_ID), "nonce", "token-nonce");
        Http.Response wrongNonce = Http.at(realm).exchange("mobile", "apple", apple.sign(nonced), "request-nonce");
        if (wrongNonce.status() != 400 || !"invalid_grant".equals(wrongNonce.string("error"))) {
            failures.add("wrong nonce -> " + wrongNonce.status() + " " + wrongNonce.body());
        }
        Map<String, Object> noDomain = google.claims(sub, GOOGLE_WEB_CLIENT);
        Http.Response outsideDomain = Http.at(realm).exchange("mobile", "google-corp", google.sign(noDomain), null);
        if (outsideDomain.status() != 400 || !"invalid_grant".equals(outsideDomain.string("error"))) {
            failures.add("hosted domain -> " + outsideDomain.status() + " " + outsideDomain.body());
        }

        // a 1 MB body never reaches Keycloak's code: the HTTP layer refuses it
        Http.Response huge = Http.at(realm).exchange("mobile", "apple", "a".repeat(1024 * 1024), null);
        if (huge.status() != 413 && huge.status() != 400) {
            failures.add("1 MB token -> " + huge.status() + " " + huge.body());
        }

        assertTrue(failures.isEmpty(), "accepted or mis-answered: " + failures);
        assertEquals(users, realm.admin().users().count(), "a rejected token created a user");
        List<String> reasons = events("TOKEN_EXCHANGE_ERROR").stream().map(e -> e.getDetails().get("reason")).toList();
        for (String expected : List.of("algorithm 'none' is not accepted", "algorithm 'HS256' is not accepted", "unknown key id",
                "issuer 'https://evil.example'", "audience [com.other.app] is not allowed", "has expired", "not valid yet",
                "signature is invalid", "too large", "nonce does not match", "hosted domain")) {
            assertTrue(reasons.stream().anyMatch(r -> r != null && r.contains(expected)), "no error event with reason '" + expected + "' in " + reasons);
        }
    }

    @Test
    void adminConsoleOffersTheNativeSettingsForAppleAndGoogle() {
        for (String providerId : List.of("apple", "google")) {
            try (jakarta.ws.rs.core.Response info = realm.admin().identityProviders().getIdentityProviders(providerId)) {
                assertEquals(200, info.getStatus());
                String body = info.readEntity(String.class);
                for (String key : List.of(NativeSignInSettings.ALLOWED_AUDIENCES, NativeSignInSettings.SIGN_IN_ONLY,
                        NativeSignInSettings.LINK_BY_VERIFIED_EMAIL, NativeSignInSettings.JWKS_TIMEOUT_MILLIS)) {
                    assertTrue(body.contains("\"" + key + "\""), providerId + " page lacks " + key + ": " + body);
                }
            }
        }
    }

    private void assertRejected(Http.Response reply, String descriptionPart) {
        SignInChecks.assertRejected(reply, descriptionPart);
    }

    private UserRepresentation singleUser(String username) {
        return SignInChecks.singleUser(realm, username);
    }

    private List<String> links(UserRepresentation user) {
        return SignInChecks.links(realm, user);
    }

    private List<EventRepresentation> events(String type) {
        return SignInChecks.events(realm, type);
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        claims.put(name, value);
        return claims;
    }

    /** Swaps the payload for one with another subject, keeping the original signature. */
    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("attacker-sub", "victim-sub");
        return parts[0] + "." + FakeProvider.base64(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    private static String accessTokenClaim(String accessToken, String claim) {
        try {
            Map<String, Object> payload = org.keycloak.util.JsonSerialization.readValue(
                    Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                    });
            return (String) payload.get(claim);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

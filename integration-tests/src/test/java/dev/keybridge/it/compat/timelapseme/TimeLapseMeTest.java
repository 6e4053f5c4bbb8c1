package dev.keybridge.it.compat.timelapseme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.compat.CompatRealms;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * The TimeLapseMe API: the README's sign-up, sign-in and refresh replayed, then the error catalog (always 400 and
 * plain text) and hostile input, against a realm that allows registration and rotates refresh tokens, and one
 * that does neither.
 */
@KeycloakIntegrationTest
class TimeLapseMeTest {

    static final String CLIENT = "timelapseme";
    static final String OTHER_CLIENT = "other-app";
    static final String PASSWORD = "s3cret-pass";

    @InjectRealm(config = OpenRealm.class)
    ManagedRealm realm;

    /** Brute-force detection in a realm of its own: a lockout must not reach the other tests' users (keycloak#36495). */
    @InjectRealm(ref = "lockout", config = LockoutRealm.class)
    ManagedRealm lockoutRealm;

    @InjectRealm(ref = "closed", config = ClosedRealm.class)
    ManagedRealm closedRealm;

    static class OpenRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return CompatRealms.timeLapseMeProfile(CompatRealms.withoutVerifyProfile(realm)).registrationAllowed(true)
                    .revokeRefreshToken(true)
                    .refreshTokenMaxReuse(0)
                    .passwordPolicy("length(8)")
                    .clients(appClient(), ClientBuilder.create(OTHER_CLIENT).publicClient().directAccessGrantsEnabled())
                    .users(UserBuilder.create("ann").email("ann@example.com").password(PASSWORD).attribute("nickname", "Annie"),
                            UserBuilder.create("bob").email("bob@example.com").password(PASSWORD),
                            UserBuilder.create("dora").email("dora@example.com").password(PASSWORD).enabled(false),
                            UserBuilder.create("ursula").email("ursula@example.com").password(PASSWORD)
                                    .requiredActions("UPDATE_PASSWORD"));
        }
    }

    @InjectRealm(ref = "short-lived", config = ShortLivedRealm.class)
    ManagedRealm shortLived;

    static class ShortLivedRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return CompatRealms.shortLived(realm).clients(appClient())
                    .users(UserBuilder.create("quinn").email("quinn@example.com").password(PASSWORD));
        }
    }

    static class LockoutRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return CompatRealms.withoutVerifyProfile(realm).bruteForceProtected(true).failureFactor(3)
                    .clients(appClient())
                    .users(UserBuilder.create("lock").email("lock@example.com").password(PASSWORD));
        }
    }

    static class ClosedRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return CompatRealms.withoutVerifyProfile(realm).registrationAllowed(false)
                    .clients(appClient())
                    .users(UserBuilder.create("carl").email("carl@example.com").password(PASSWORD));
        }
    }

    /** The app's public client with the two mappers that put the original's claims into the access token. */
    static ClientBuilder appClient() {
        return ClientBuilder.create(CLIENT).publicClient().directAccessGrantsEnabled()
                .protocolMappers(mapper("userId", "oidc-usermodel-property-mapper", "id"),
                        mapper("nickname", "oidc-usermodel-attribute-mapper", "nickname"));
    }

    static ProtocolMapperRepresentation mapper(String claim, String type, String userAttribute) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(claim);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper(type);
        mapper.setConfig(Map.of("user.attribute", userAttribute, "claim.name", claim, "jsonType.label", "String",
                "access.token.claim", "true", "id.token.claim", "false", "userinfo.token.claim", "false"));
        return mapper;
    }

    private Http http() {
        return Http.at(realm).resource("timelapseme");
    }

    private static String signUpBody(String email, String password, String confirm, String nickname) throws Exception {
        return Http.toJson(Map.of("email", email, "password", password, "passwordConfirm", confirm, "nickname", nickname));
    }

    static void assertText(Http.Response response, String text) {
        assertEquals(400, response.status(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                "the original's text/html: " + response.headers().map());
        assertTrue(!response.body().contains("<") && !response.body().contains(">"), "no markup: " + response.body());
        assertEquals(text, response.body());
    }

    static JsonNode assertTokens(Http.Response response) throws Exception {
        assertEquals(200, response.status(), response.body());
        JsonNode body = response.json();
        assertEquals(List.of("accessToken", "refreshToken", "acessToken"), Http.fieldNames(body));
        assertEquals(body.path("accessToken").asText(), body.path("acessToken").asText());
        return body;
    }

    private UserRepresentation user(ManagedRealm managed, String email) {
        List<UserRepresentation> found = managed.admin().users().searchByEmail(email, true);
        assertEquals(1, found.size(), "users with email " + email + ": " + found);
        return found.get(0);
    }

    @Test
    void signUpSignInAndRotatingRefreshCarryUserIdAndNickname() throws Exception {
        Http.Response signUp = http().postJson("api/v1/signup/credentials",
                signUpBody("New.Person@Example.com", "long-enough-1", "long-enough-1", "Newbie"));
        JsonNode signedUp = assertTokens(signUp);
        UserRepresentation created = user(realm, "new.person@example.com");
        assertEquals("new.person@example.com", created.getUsername());
        JsonNode claims = Jwt.claims(signedUp.path("accessToken").asText());
        assertEquals(created.getId(), claims.path("userId").asText());
        assertEquals("Newbie", claims.path("nickname").asText());
        assertEquals(CLIENT, claims.path("azp").asText());

        // sign-in with the email in another case, as the original matched it case-insensitively
        JsonNode signedIn = assertTokens(http().postJson("api/v1/auth/credentials",
                Http.toJson(Map.of("email", "NEW.person@example.com", "password", "long-enough-1"))));
        assertEquals(created.getId(), Jwt.claims(signedIn.path("accessToken").asText()).path("userId").asText());

        String firstRefresh = signedIn.path("refreshToken").asText();
        JsonNode refreshed = assertTokens(http().postJson("api/v1/refresh", Http.toJson(Map.of("refreshToken", firstRefresh))));
        assertNotEquals(firstRefresh, refreshed.path("refreshToken").asText());
        JsonNode refreshedClaims = Jwt.claims(refreshed.path("accessToken").asText());
        assertEquals(created.getId(), refreshedClaims.path("userId").asText());
        assertEquals("Newbie", refreshedClaims.path("nickname").asText());

        // rotation: the used refresh token is spent
        assertText(http().postJson("api/v1/refresh", Http.toJson(Map.of("refreshToken", firstRefresh))),
                "That refresh token is invalid.");
    }

    @Test
    void existingUserSignsInWithNicknameClaim() throws Exception {
        JsonNode tokens = assertTokens(http().postJson("api/v1/auth/credentials",
                Http.toJson(Map.of("email", "ann@example.com", "password", PASSWORD))));
        JsonNode claims = Jwt.claims(tokens.path("accessToken").asText());
        assertEquals(user(realm, "ann@example.com").getId(), claims.path("userId").asText());
        assertEquals("Annie", claims.path("nickname").asText());
    }

    @Test
    void signUpErrorCatalog() throws Exception {
        assertText(http().postJson("api/v1/signup/credentials", "{}"), "Invalid request:\n"
                + "email is a required field\npassword is a required field\npasswordConfirm is a required field\n"
                + "nickname is a required field");
        assertText(http().postJson("api/v1/signup/credentials", signUpBody("not-an-email", "long-enough-1", "other-pass-1", "N")),
                "Invalid request:\nemail must be a valid email\npasswordConfirm must match password");
        assertText(http().postJson("api/v1/signup/credentials", signUpBody("BOB@example.com", "long-enough-1", "long-enough-1", "B")),
                "That email address is not available using the provided authentication method.");
        assertText(http().postJson("api/v1/signup/credentials", signUpBody("short@example.com", "short", "short", "S")),
                "Invalid request:\nInvalid password: minimum length 8.");
        assertEquals(List.of(), realm.admin().users().searchByEmail("short@example.com", true));
        assertText(http().postJson("api/v1/signup/credentials", signUpBody("long@example.com", "long-enough-1", "long-enough-1",
                "n".repeat(129))), "Invalid request:\nnickname must be at most 128 characters");
    }

    @Test
    void signInErrorCatalogGoesThroughKeycloak() throws Exception {
        assertText(http().postJson("api/v1/auth/credentials", "{\"email\":\"bob@example.com\"}"),
                "Error:\npassword is a required field");
        assertText(http().postJson("api/v1/auth/credentials", Http.toJson(Map.of("email", "bob@example.com", "password", "wrong"))),
                "Invalid credentials.");
        assertText(http().postJson("api/v1/auth/credentials", Http.toJson(Map.of("email", "nobody@example.com", "password", PASSWORD))),
                "Invalid credentials.");
        Http.Response disabled = http().postJson("api/v1/auth/credentials",
                Http.toJson(Map.of("email", "dora@example.com", "password", PASSWORD)));
        assertEquals(400, disabled.status(), disabled.body());
        assertText(http().postJson("api/v1/auth/credentials", Http.toJson(Map.of("email", "ursula@example.com", "password", PASSWORD))),
                "Account is not fully set up.");
    }

    @Test
    void bruteForceProtectionLocksTheAccount() throws Exception {
        Http lockout = Http.at(lockoutRealm).resource("timelapseme");
        for (int attempt = 0; attempt < 3; attempt++) {
            assertText(lockout.postJson("api/v1/auth/credentials", Http.toJson(Map.of("email", "lock@example.com", "password", "nope"))),
                    "Invalid credentials.");
        }
        // brute-force detection runs on Keycloak's executor: wait until it has locked the account
        String userId = user(lockoutRealm, "lock@example.com").getId();
        for (int poll = 0; poll < 50 && !Boolean.TRUE.equals(lockoutRealm.admin().attackDetection().bruteForceUserStatus(userId).get("disabled")); poll++) {
            Thread.sleep(100);
        }
        assertEquals(Boolean.TRUE, lockoutRealm.admin().attackDetection().bruteForceUserStatus(userId).get("disabled"));
        assertText(lockout.postJson("api/v1/auth/credentials", Http.toJson(Map.of("email", "lock@example.com", "password", PASSWORD))),
                "Invalid credentials.");
    }

    @Test
    void refreshRejectsForeignAndWrongTokens() throws Exception {
        Http http = http();
        JsonNode otherClient = http.passwordGrant(OTHER_CLIENT, "bob", PASSWORD).requireOk().json();
        assertText(http.postJson("api/v1/refresh", Http.toJson(Map.of("refreshToken", otherClient.path("refresh_token").asText()))),
                "That refresh token is invalid.");
        JsonNode own = http.passwordGrant(CLIENT, "bob", PASSWORD).requireOk().json();
        assertText(http.postJson("api/v1/refresh", Http.toJson(Map.of("refreshToken", own.path("access_token").asText()))),
                "That refresh token is invalid.");
        JsonNode closed = Http.at(closedRealm).resource("timelapseme").passwordGrant(CLIENT, "carl", PASSWORD).requireOk().json();
        assertText(http.postJson("api/v1/refresh", Http.toJson(Map.of("refreshToken", closed.path("refresh_token").asText()))),
                "That refresh token is invalid.");
        assertText(http.postJson("api/v1/refresh", "{\"refreshToken\":\"garbage\"}"), "That refresh token is invalid.");
        assertText(http.postJson("api/v1/refresh", "{\"refreshToken\":42}"), "Error:\nrefreshToken is a required field");
    }

    @Test
    void expiredRefreshTokenHasItsOwnMessage() throws Exception {
        Http quick = Http.at(shortLived).resource("timelapseme");
        JsonNode signedIn = assertTokens(quick.postJson("api/v1/auth/credentials",
                Http.toJson(Map.of("email", "quinn@example.com", "password", PASSWORD))));
        Thread.sleep(3000);
        assertText(quick.postJson("api/v1/refresh", Http.toJson(Map.of("refreshToken", signedIn.path("refreshToken").asText()))),
                "That refresh token has expired.");
    }

    @Test
    void hostileInputIsAPlainTextBadRequest() throws Exception {
        Http http = http();
        for (String path : List.of("api/v1/signup/credentials", "api/v1/auth/credentials", "api/v1/refresh")) {
            String prefix = path.contains("signup") ? "Invalid request:\n" : "Error:\n";
            assertText(http.postJson(path, "{\"email\":"), prefix + "Request body is not valid JSON");
            assertText(http.postJson(path, "[1,2]"), prefix + "Request body must be a JSON object");
            assertText(http.send("POST", path, null, Map.of()), prefix + "Request body must be a JSON object");
            Http.Response form = http.send("POST", path, "email=a%40b.c&password=x",
                    Map.of("Content-Type", "application/x-www-form-urlencoded"));
            assertEquals(400, form.status(), form.body());
            assertTrue(form.body().startsWith(prefix + "Request body "), form.body());
            assertText(http.postJson(path, "{\"email\":\"" + "a".repeat(1024 * 1024) + "\"}"),
                    prefix + "Request body is larger than 65536 characters");
        }
        // JSON sent as text/plain is still read, as Express's lenient clients relied on
        assertTokens(http.send("POST", "api/v1/auth/credentials", Http.toJson(Map.of("email", "bob@example.com", "password", PASSWORD)),
                Map.of("Content-Type", "text/plain")));
    }

    @Test
    void realmWithoutRegistrationOrRotationRefusesSignUpAndRefresh() throws Exception {
        Http closed = Http.at(closedRealm).resource("timelapseme");
        assertText(closed.postJson("api/v1/signup/credentials", signUpBody("eve@example.com", "long-enough-1", "long-enough-1", "Eve")),
                "Sign-up is disabled.");
        assertEquals(List.of(), closedRealm.admin().users().searchByEmail("eve@example.com", true));
        JsonNode signedIn = assertTokens(closed.postJson("api/v1/auth/credentials",
                Http.toJson(Map.of("email", "carl@example.com", "password", PASSWORD))));
        assertText(closed.postJson("api/v1/refresh", Http.toJson(Map.of("refreshToken", signedIn.path("refreshToken").asText()))),
                "An error occurred while attempting to obtain a new access token with this refresh token.");
    }
}

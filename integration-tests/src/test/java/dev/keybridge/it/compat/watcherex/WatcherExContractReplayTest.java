package dev.keybridge.it.compat.watcherex;

import static dev.keybridge.it.compat.watcherex.WatcherExTest.TOKEN;
import static dev.keybridge.it.compat.watcherex.WatcherExTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.compat.CompatRealms;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.RoleBuilder;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * Rows of the WatcherEx table (docs/compatibility-apis.md) replayed from its README and code: inactive users, the
 * {@code otp} parameter, refresh without client authentication, lockout, secrets of clients that have a key,
 * logout-all-sessions without sessions left, and the password blocklist (the realm's password policy here).
 */
@KeycloakIntegrationTest
class WatcherExContractReplayTest {

    static final String PASSWORD = "wx-replay-123";
    static final String TOTP_SECRET = "wx-replay-totp-secret";
    static final int FAILURES_BEFORE_LOCKOUT = 5;

    @InjectRealm(config = ReplayRealm.class)
    ManagedRealm realm;

    static class ReplayRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            // lockout configured as the original's (5 failures, 15 minutes), as the docs advise
            return CompatRealms.withoutVerifyProfile(realm).revokeRefreshToken(true).refreshTokenMaxReuse(0)
                    .bruteForceProtected(true).failureFactor(FAILURES_BEFORE_LOCKOUT)
                    .update(rep -> {
                        rep.setWaitIncrementSeconds(900);
                        rep.setMaxFailureWaitSeconds(900);
                        // no quick-login lock: the failures are counted, as the original counted them
                        rep.setQuickLoginCheckMilliSeconds(0L);
                    })
                    .passwordPolicy("notUsername")
                    .attribute("watcherex.accepted-clients", "wx-public")
                    .realmRoles(RoleBuilder.create("watcherex-admin"))
                    .clients(ClientBuilder.create("wx-app").secret("wx-secret").directAccessGrantsEnabled(),
                            ClientBuilder.create("wx-public").publicClient().directAccessGrantsEnabled(),
                            // a client that has a key: its authenticator is Signed JWT, a stored secret no longer counts
                            ClientBuilder.create("wx-keyed").secret("old-secret").authenticatorType("client-jwt")
                                    .directAccessGrantsEnabled().serviceAccountsEnabled())
                    .users(UserBuilder.create("admin1").password(PASSWORD).realmRoles("watcherex-admin")
                                    .clientRoles("realm-management", "manage-users"),
                            UserBuilder.create("plain").password(PASSWORD),
                            UserBuilder.create("inactive").password(PASSWORD).enabled(false),
                            UserBuilder.create("otpuser").password(PASSWORD).totpSecret(TOTP_SECRET),
                            UserBuilder.create("target").password(PASSWORD));
        }
    }

    private Http http() {
        return Http.at(realm).resource("watcherex");
    }

    private Http.Response token(Map<String, String> params) throws Exception {
        return http().postJson(TOKEN, Http.toJson(params));
    }

    /** The token response's body, failing unless the grant succeeded. */
    private static JsonNode granted(Http.Response response) throws Exception {
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    private Http.Response publicLogin(String username, String password) throws Exception {
        return token(Map.of("grant_type", "password", "client_id", "wx-public", "username", username, "password", password));
    }

    private String userId(String username) {
        return realm.admin().users().search(username, true).get(0).getId();
    }

    /** The code: an inactive subject is 403 {@code unauthenticated}, at the token endpoint and on the admin routes. */
    @Test
    void inactiveUserIs403Unauthenticated() throws Exception {
        assertError(publicLogin("inactive", PASSWORD), 403, "unauthenticated");

        String adminToken = publicLogin("admin1", PASSWORD).json().path("access_token").asText();
        UserRepresentation admin = realm.admin().users().get(userId("admin1")).toRepresentation();
        admin.setEnabled(false);
        realm.admin().users().get(admin.getId()).update(admin);
        try {
            assertError(http().send("POST", "admin/v1/sessions/logout", null, Map.of("Authorization", "Bearer " + adminToken)),
                    403, "unauthenticated");
        } finally {
            admin.setEnabled(true);
            realm.admin().users().get(admin.getId()).update(admin);
        }
    }

    /** The code: {@code otp} with the password grant; the realm's OTP policy gives the code (Keycloak's {@code totp}). */
    @Test
    void passwordGrantWithOtpNeedsTheCurrentCode() throws Exception {
        String code = totp(realm.admin().toRepresentation(), System.currentTimeMillis() / 1000);
        String wrong = code.substring(0, code.length() - 1) + (char) ('0' + (code.charAt(code.length() - 1) - '0' + 5) % 10);
        assertError(token(Map.of("grant_type", "password", "client_id", "wx-public", "username", "otpuser", "password", PASSWORD)),
                403, "unauthenticated");
        assertError(token(Map.of("grant_type", "password", "client_id", "wx-public", "username", "otpuser", "password", PASSWORD,
                "otp", wrong)), 403, "unauthenticated");
        JsonNode signedIn = granted(token(Map.of("grant_type", "password", "client_id", "wx-public", "username", "otpuser", "password", PASSWORD,
                "otp", code)));
        assertEquals(userId("otpuser"), Jwt.claims(signedIn.path("access_token").asText()).path("sub").asText());
    }

    /** Difference on purpose: the original refreshed without client authentication; a confidential client must authenticate. */
    @Test
    void confidentialClientsRefreshOnlyWithTheirCredentials() throws Exception {
        JsonNode first = granted(token(Map.of("grant_type", "password", "client_id", "wx-app", "client_secret", "wx-secret",
                "username", "plain", "password", PASSWORD)));
        String refresh = first.path("refresh_token").asText();
        // the README's request: only grant_type and refresh_token
        assertError(token(Map.of("grant_type", "refresh_token", "refresh_token", refresh)), 403, "unauthenticated");
        assertError(token(Map.of("grant_type", "refresh_token", "refresh_token", refresh, "client_id", "wx-app",
                "client_secret", "wrong")), 403, "unauthenticated");
        JsonNode refreshed = granted(token(Map.of("grant_type", "refresh_token", "refresh_token", refresh, "client_secret", "wx-secret")));
        assertEquals("wx-app", Jwt.claims(refreshed.path("access_token").asText()).path("azp").asText());
    }

    /** Difference on purpose: lockout is Keycloak's brute-force protection, here set as the original's 5 failures. */
    @Test
    void repeatedFailuresLockTheAccount() throws Exception {
        String id = userId("target");
        for (int attempt = 1; attempt < FAILURES_BEFORE_LOCKOUT; attempt++) {
            assertError(publicLogin("target", "wrong-" + attempt), 403, "unauthenticated");
        }
        // brute-force detection runs on Keycloak's executor: wait until it has counted the failures
        for (int poll = 0; poll < 50 && failures(id) < FAILURES_BEFORE_LOCKOUT - 1; poll++) {
            Thread.sleep(100);
        }
        assertEquals(FAILURES_BEFORE_LOCKOUT - 1, failures(id));
        assertEquals(false, locked(id), "not locked before the fifth failure");
        assertError(publicLogin("target", "wrong-" + FAILURES_BEFORE_LOCKOUT), 403, "unauthenticated");
        // brute-force detection runs on Keycloak's executor: wait until it has locked the account
        for (int poll = 0; poll < 50 && !locked(id); poll++) {
            Thread.sleep(100);
        }
        assertEquals(true, locked(id));
        assertError(publicLogin("target", PASSWORD), 403, "unauthenticated");
        realm.admin().attackDetection().clearBruteForceForUser(id);
        assertEquals(200, publicLogin("target", PASSWORD).status());
    }

    private int failures(String userId) {
        return ((Number) realm.admin().attackDetection().bruteForceUserStatus(userId).get("numFailures")).intValue();
    }

    private boolean locked(String userId) {
        return Boolean.TRUE.equals(realm.admin().attackDetection().bruteForceUserStatus(userId).get("disabled"));
    }

    /** The code: once an application has a key, {@code client_secret} is rejected. */
    @Test
    void clientWithAKeyCannotUseASecret() throws Exception {
        assertError(token(Map.of("grant_type", "client_credentials", "client_id", "wx-keyed", "client_secret", "old-secret")),
                403, "unauthenticated");
        assertError(token(Map.of("grant_type", "password", "client_id", "wx-keyed", "client_secret", "old-secret",
                "username", "plain", "password", PASSWORD)), 403, "unauthenticated");
    }

    /** The code: logout-all-sessions is 403 when the subject has no session left. */
    @Test
    void logoutAllSessionsWithoutSessionsLeftIs403() throws Exception {
        String token = publicLogin("admin1", PASSWORD).json().path("access_token").asText();
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
        assertEquals(204, http().send("POST", "admin/v1/sessions/logout-all-sessions", null, bearer).status());
        assertEquals(List.of(), realm.admin().users().get(userId("admin1")).getUserSessions());
        assertError(http().send("POST", "admin/v1/sessions/logout-all-sessions", null, bearer), 403, "unauthenticated");
    }

    /**
     * The original refuses passwords on its built-in {@code priv/passwords} list; here the realm's password policy
     * decides (difference on purpose): a password the policy refuses is the original's 400 with a {@code password} field.
     */
    @Test
    void userCreationAppliesTheRealmsPasswordPolicy() throws Exception {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + publicLogin("admin1", PASSWORD).json().path("access_token").asText(),
                "Content-Type", "application/json");
        Http.Response refused = http().send("POST", "admin/v1/users",
                Http.toJson(Map.of("username", "samename", "password", "samename", "scopes", List.of())), admin);
        assertError(refused, 400, "bad_request");
        assertEquals(List.of("password"), Http.fieldNames(refused.json().path("response")), refused.body());
        assertEquals(List.of(), realm.admin().users().search("samename", true));
        assertEquals(201, http().send("POST", "admin/v1/users",
                Http.toJson(Map.of("username", "othername", "password", "not-the-name-1", "scopes", List.of())), admin).status());
    }

    /** RFC 6238 with the realm's OTP policy (algorithm, digits, period); Keycloak keys the HMAC with the secret's UTF-8 bytes. */
    static String totp(RealmRepresentation policy, long epochSeconds) throws Exception {
        Mac mac = Mac.getInstance(policy.getOtpPolicyAlgorithm());
        mac.init(new SecretKeySpec(TOTP_SECRET.getBytes(StandardCharsets.UTF_8), policy.getOtpPolicyAlgorithm()));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(epochSeconds / policy.getOtpPolicyPeriod()).array());
        int offset = hash[hash.length - 1] & 0xf;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16) | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        int digits = policy.getOtpPolicyDigits();
        return String.format("%0" + digits + "d", binary % (int) Math.pow(10, digits));
    }
}

package dev.keybridge.it.compat.ertis;

import static dev.keybridge.it.compat.ertis.ErtisTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.broker.microsoft.MicrosoftTenants;
import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import dev.keybridge.it.brokers.BrokerRealm;
import dev.keybridge.it.brokers.FakeProvider;
import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;
import org.keycloak.util.JsonSerialization;

/**
 * ErtisAuth's Microsoft login ({@code POST /api/v1/oauth/microsoft/login}) with MSAL results around ID tokens of the
 * local fake Microsoft: the raw ID token signs in through native sign-in (201 and ErtisAuth's token document, the same
 * user next time); forged, misdirected, replayed and foreign-tenant tokens, an email that would take over an account,
 * and bodies whose MSAL fields describe another token are refused in ErtisAuth's error shape, each with an error event.
 */
@KeycloakIntegrationTest
class ErtisMicrosoftLoginTest {

    private static final String TENANT = "33333333-cccc-4ccc-8ccc-000000000003";
    private static final String OTHER_TENANT = "44444444-dddd-4ddd-8ddd-000000000004";

    @InjectRealm(config = MicrosoftMembership.class)
    ManagedRealm realm;

    private final FakeProvider microsoft = FakeProvider.microsoft();

    static class MicrosoftMembership implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.eventsEnabled(true)
                    .clients(ClientBuilder.create(ErtisTest.CLIENT).publicClient()
                            .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "microsoft"))
                    .identityProviders(BrokerRealm.microsoftIdp("microsoft", FakeProvider.microsoft(), Map.of(
                            MicrosoftTenants.ALLOWED_TENANTS, TENANT, NativeSignInSettings.LINK_BY_VERIFIED_EMAIL, "true")))
                    .users(UserBuilder.create("victor").email("victor@example.org").emailVerified(true).name("Vic", "Tor"))
                    .update(BrokerRealm::namesAndEmailOptional);
        }
    }

    @Test
    void msalResultSignsInAndTheNextLoginFindsTheSameUser() throws Exception {
        Http.Response first = login(msal(microsoft.sign(person(TENANT, "oid-meral", "meral@example.org"))));
        String userId = ErtisSocialLoginTest.loggedInUser(first);
        JsonNode tokens = first.json();
        Http.Response me = Http.at(realm).resource("ertis").send("GET", "api/v1/me", null,
                Map.of("Authorization", "Bearer " + tokens.path("access_token").asText()));
        assertEquals(200, me.status(), me.body());
        assertEquals(userId, me.json().path("_id").asText(), "the access token works on ErtisAuth's own routes");

        // the account's copy of the ID token serves when the result carries none at top level
        Map<String, Object> next = msal(microsoft.sign(person(TENANT, "oid-meral", "meral@example.org")));
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) next.get("token");
        @SuppressWarnings("unchecked")
        Map<String, Object> account = (Map<String, Object>) result.get("account");
        account.put("idToken", result.remove("idToken"));
        assertEquals(userId, ErtisSocialLoginTest.loggedInUser(login(next)), "the second login finds the linked user");
        assertEquals(List.of("microsoft:oid-meral"), realm.admin().users().get(userId).getFederatedIdentity().stream()
                .map(link -> link.getIdentityProvider() + ":" + link.getUserId()).toList());
    }

    @Test
    void attacksAreRefusedInErtisShapeWithEvents() throws Exception {
        String oid = "oid-eve";
        Map<String, Supplier<Map<String, Object>>> attacks = new LinkedHashMap<>();
        attacks.put("ID token signature is invalid", () -> msal(FakeProvider.sign(person(TENANT, oid, null),
                new FakeProvider.SigningKey(microsoft.currentKey().kid(), "RS256", FakeProvider.generate("RS256")))));
        attacks.put("algorithm 'none' is not accepted", () -> msal(FakeProvider.unsigned(person(TENANT, oid, null), microsoft.currentKey())));
        attacks.put("algorithm 'HS256' is not accepted", () -> msal(FakeProvider.hmacWithPublicKey(person(TENANT, oid, null),
                microsoft.currentKey())));
        attacks.put("ID token has expired", () -> msal(microsoft.sign(FakeProvider.expired(person(TENANT, oid, null)))));
        // the body names the same app as the token, so the token's own audience check decides
        attacks.put("audience [another-app] is not allowed", () -> msal(microsoft.sign(microsoft.microsoftClaims(TENANT, oid, "another-app"))));
        attacks.put("tenant (tid) '" + OTHER_TENANT + "' is not allowed", () -> msal(microsoft.sign(person(OTHER_TENANT, oid, null))));
        attacks.put("is not the issuer of its tenant", () -> msal(microsoft.sign(microsoft.issuedBy(OTHER_TENANT,
                person(TENANT, oid, null)))));
        attacks.put("the request body does not describe its ID token: token.tenantId '" + OTHER_TENANT + "'", () -> {
            Map<String, Object> body = msal(microsoft.sign(person(TENANT, oid, null)));
            tokenOf(body).put("tenantId", OTHER_TENANT);
            return body;
        });
        attacks.put("token.uniqueId 'oid-victor'", () -> {
            Map<String, Object> body = msal(microsoft.sign(person(TENANT, oid, null)));
            tokenOf(body).put("uniqueId", "oid-victor");
            return body;
        });
        attacks.put("clientId 'another-app'", () -> {
            Map<String, Object> body = msal(microsoft.sign(person(TENANT, oid, null)));
            body.put("clientId", "another-app");
            return body;
        });
        attacks.put("email already exists", () -> msal(microsoft.sign(person(TENANT, oid, "victor@example.org"))));

        int users = realm.admin().users().count();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Supplier<Map<String, Object>>> attack : attacks.entrySet()) {
            Http.Response response = login(attack.getValue().get());
            JsonNode body = response.body().startsWith("{") ? response.json() : null;
            if (response.status() != 401 || body == null || !"Unauthorized".equals(body.path("ErrorCode").asText())
                    || !body.path("Message").asText().contains(attack.getKey())) {
                failures.add(attack.getKey() + " -> " + response.status() + " " + response.body());
            }
        }
        assertTrue(failures.isEmpty(), "accepted or mis-answered: " + failures);
        assertEquals(users, realm.admin().users().count(), "a refused login created a user");
        assertTrue(realm.admin().users().search("victor", true).stream()
                .allMatch(u -> realm.admin().users().get(u.getId()).getFederatedIdentity().isEmpty()), "victor's account was not linked");
        List<String> reasons = loginErrors().stream().map(e -> e.getDetails().get("reason")).toList();
        for (String reason : attacks.keySet()) {
            assertTrue(reasons.stream().anyMatch(r -> r != null && r.contains(reason)), "no LOGIN_ERROR event with reason '" + reason
                    + "' in " + reasons);
        }
    }

    @Test
    void aReplayedTokenAndADisabledOrLinkOnlyProviderAreRefused() throws Exception {
        String token = microsoft.sign(person(TENANT, "oid-once", null));
        ErtisSocialLoginTest.loggedInUser(login(msal(token)));
        Http.Response replay = login(msal(token));
        assertError(replay, 401, "Unauthorized");
        assertTrue(replay.body().contains("already used"), replay.body());
        assertTrue(loginErrors().stream().anyMatch(e -> "id_token_replayed".equals(e.getError())), "replay event");

        IdentityProviderRepresentation idp = realm.admin().identityProviders().get("microsoft").toRepresentation();
        try {
            idp.setLinkOnly(true);
            realm.admin().identityProviders().get("microsoft").update(idp);
            Http.Response linkOnly = login(msal(microsoft.sign(person(TENANT, "oid-once", null))));
            assertError(linkOnly, 401, "Unauthorized");
            assertTrue(linkOnly.body().contains("is link-only"), linkOnly.body());

            idp.setLinkOnly(false);
            idp.setEnabled(false);
            realm.admin().identityProviders().get("microsoft").update(idp);
            Http.Response disabled = login(msal(microsoft.sign(person(TENANT, "oid-once", null))));
            assertError(disabled, 401, "Unauthorized");
            assertTrue(disabled.body().contains("is not an enabled"), disabled.body());
        } finally {
            idp.setLinkOnly(false);
            idp.setEnabled(true);
            realm.admin().identityProviders().get("microsoft").update(idp);
        }
        List<String> reasons = loginErrors().stream().map(e -> e.getDetails().get("reason")).toList();
        assertTrue(reasons.stream().anyMatch(r -> r != null && r.contains("is link-only")), "link-only event: " + reasons);
        assertTrue(reasons.stream().anyMatch(r -> r != null && r.contains("is not an enabled")), "disabled event: " + reasons);
    }

    @Test
    void missingAliasOrIdTokenAreValidationErrors() throws Exception {
        Map<String, Object> body = msal(microsoft.sign(person(TENANT, "oid-nobody", null)));
        assertError(Http.at(realm).resource("ertis").postJson("api/v1/oauth/microsoft/login", Http.toJson(body)),
                400, "XErtisAliasMissing", true);
        tokenOf(body).remove("idToken");
        assertError(login(body), 400, "ModelValidationError");
        assertError(login(Map.of("clientId", BrokerRealm.MICROSOFT_APP)), 400, "ModelValidationError");
        Map<String, Object> mistyped = msal(microsoft.sign(person(TENANT, "oid-nobody", null)));
        tokenOf(mistyped).put("tenantId", 42);
        assertError(login(mistyped), 400, "ModelValidationError");
    }

    private Http.Response login(Map<String, Object> body) throws Exception {
        return Http.at(realm).resource("ertis").send("POST", "api/v1/oauth/microsoft/login", Http.toJson(body),
                Map.of("Content-Type", "application/json", "X-Ertis-Alias", realm.getName(),
                        "X-IpAddress", "203.0.113.9", "X-UserAgent", "ErtisClient/1.0"));
    }

    private List<EventRepresentation> loginErrors() {
        return realm.admin().getEvents(List.of("LOGIN_ERROR"), null, null, null, null, null, 0, 500);
    }

    private Map<String, Object> person(String tenant, String oid, String email) {
        Map<String, Object> claims = microsoft.microsoftClaims(tenant, oid, BrokerRealm.MICROSOFT_APP);
        claims.put("name", "Ertis Person");
        claims.put("preferred_username", oid + "@contoso.example");
        if (email != null) {
            claims.put("email", email);
        }
        return claims;
    }

    /**
     * An MSAL AuthenticationResult as ErtisAuth's clients post it, its fields copied from the token's payload as MSAL
     * does (read here without checking, which is what the client has too).
     */
    private static Map<String, Object> msal(String idToken) {
        JsonNode claims = payload(idToken);
        String tenant = claims.path("tid").asText();
        String oid = claims.path("oid").asText();
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("homeAccountId", oid + "." + tenant);
        account.put("environment", "login.microsoftonline.com");
        account.put("tenantId", tenant);
        account.put("username", claims.path("preferred_username").asText());
        account.put("localAccountId", oid);
        account.put("name", claims.path("name").asText());
        account.put("idTokenClaims", Map.of("oid", "not-read", "tid", "not-read"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("authority", "https://login.microsoftonline.com/" + tenant);
        result.put("uniqueId", oid);
        result.put("tenantId", tenant);
        result.put("scopes", List.of("openid", "profile", "email"));
        result.put("account", account);
        result.put("idToken", idToken);
        result.put("idTokenClaims", Map.of("oid", "not-read", "tid", "not-read"));
        result.put("accessToken", "graph-access-token-not-read");
        result.put("fromCache", false);
        result.put("tokenType", "Bearer");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", result);
        body.put("clientId", claims.path("aud").asText());
        return body;
    }

    /** Also of an alg:none token, whose signature part is empty. */
    private static JsonNode payload(String idToken) {
        try {
            return JsonSerialization.mapper.readTree(Base64.getUrlDecoder().decode(idToken.split("\\.", -1)[1]));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tokenOf(Map<String, Object> body) {
        return (Map<String, Object>) body.get("token");
    }
}

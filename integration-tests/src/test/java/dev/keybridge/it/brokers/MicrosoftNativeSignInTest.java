package dev.keybridge.it.brokers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.keybridge.broker.microsoft.MicrosoftTenants;
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

import static dev.keybridge.it.brokers.BrokerRealm.MICROSOFT_APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native sign-in and RFC 8693 token exchange with Microsoft ID tokens of the local fake Microsoft, which plays the
 * multi-tenant issuer: one key set for all tenants, each tenant its own iss. Only tokens of an allowed tenant under
 * that tenant's issuer sign in; the person is oid; Microsoft's unproven email never links an existing account.
 * Every refusal is a 400 with an error event and creates nobody.
 */
@KeycloakIntegrationTest
class MicrosoftNativeSignInTest {

    static final String TENANT = "11111111-aaaa-4aaa-8aaa-000000000001";
    static final String OTHER_TENANT = "22222222-bbbb-4bbb-8bbb-000000000002";

    @InjectRealm(config = MicrosoftRealm.class)
    ManagedRealm realm;

    private final FakeProvider microsoft = FakeProvider.microsoft();

    static class MicrosoftRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            FakeProvider microsoft = FakeProvider.microsoft();
            IdentityProviderRepresentation disabled = BrokerRealm.microsoftIdp("microsoft-disabled", microsoft, allowing(TENANT));
            disabled.setEnabled(false);
            IdentityProviderRepresentation linkOnly = BrokerRealm.microsoftIdp("microsoft-link-only", microsoft, allowing(TENANT));
            linkOnly.setLinkOnly(true);
            Map<String, String> linking = new LinkedHashMap<>(allowing(TENANT));
            linking.put(NativeSignInSettings.LINK_BY_VERIFIED_EMAIL, "true");
            return realm.eventsEnabled(true)
                    .clients(ClientBuilder.create("mobile").publicClient().attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS,
                            "microsoft microsoft-any microsoft-none microsoft-pinned microsoft-disabled microsoft-link-only"))
                    .identityProviders(
                            BrokerRealm.microsoftIdp("microsoft", microsoft, linking),
                            BrokerRealm.microsoftIdp("microsoft-any", microsoft, allowing(MicrosoftTenants.ANY_TENANT)),
                            BrokerRealm.microsoftIdp("microsoft-none", microsoft, Map.of(MicrosoftTenants.TENANT_ID, "common")),
                            BrokerRealm.microsoftIdp("microsoft-pinned", microsoft, Map.of(MicrosoftTenants.TENANT_ID, OTHER_TENANT,
                                    MicrosoftTenants.ALLOWED_TENANTS, MicrosoftTenants.ANY_TENANT)),
                            disabled, linkOnly)
                    .users(UserBuilder.create("ann").email("ann@example.org").emailVerified(true).name("Ann", "Existing"),
                            UserBuilder.create("eda").email("eda@example.org").emailVerified(true).name("Eda", "Proven"))
                    .update(BrokerRealm::namesAndEmailOptional);
        }

        private static Map<String, String> allowing(String tenants) {
            return Map.of(MicrosoftTenants.ALLOWED_TENANTS, tenants);
        }
    }

    @Test
    void firstSignInCreatesAnAccountKeyedByOidAndTheNextFindsIt() {
        Map<String, Object> claims = person(TENANT, "oid-mia", "mia@example.org");
        Http.Response first = Http.at(realm).exchange("mobile", "microsoft", microsoft.sign(claims), null);
        assertEquals(200, first.status(), first.body());
        UserRepresentation mia = realm.admin().users().searchByEmail("mia@example.org", true).get(0);
        assertEquals(List.of("microsoft:oid-mia"), realm.admin().users().get(mia.getId()).getFederatedIdentity().stream()
                .map(f -> f.getIdentityProvider() + ":" + f.getUserId()).toList(), "linked by oid, as the browser login links");
        assertFalse(mia.isEmailVerified(), "Microsoft's email claim is kept unverified");
        assertEquals(mia.getId(), Jwt.claims(first.string("access_token")).path("sub").asText());

        Http.Response refreshed = Http.at(realm).token(
                Map.of("grant_type", "refresh_token", "client_id", "mobile", "refresh_token", first.string("refresh_token")));
        assertEquals(200, refreshed.status(), refreshed.body());

        Http.Response again = Http.at(realm).token(Map.of("grant_type", NativeSignInGrantTypeFactory.PROVIDER_ID,
                "client_id", "mobile", "subject_token", microsoft.sign(person(TENANT, "oid-mia", "mia@example.org")),
                "subject_issuer", "microsoft"));
        assertEquals(200, again.status(), again.body());
        assertEquals(mia.getId(), Jwt.claims(again.string("access_token")).path("sub").asText(), "the grant type finds the same user");

        Http.Response personal = Http.at(realm).exchange("mobile", "microsoft-any",
                microsoft.sign(person(MicrosoftTenants.PERSONAL_ACCOUNTS_TENANT, "00000000-0000-0000-1234-567890abcdef", null)), null);
        assertEquals(200, personal.status(), "'*' admits personal accounts: " + personal.body());
        Http.Response pinned = Http.at(realm).exchange("mobile", "microsoft-pinned",
                microsoft.sign(person(OTHER_TENANT, "oid-pinned", null)), null);
        assertEquals(200, pinned.status(), "the pinned tenant signs in: " + pinned.body());
    }

    @Test
    void forgedMisdirectedAndRefusedTokensEmitEventsAndCreateNobody() {
        Map<String, Supplier<Http.Response>> attacks = new LinkedHashMap<>();
        String oid = "oid-attacker";
        attacks.put("ID token signature is invalid", () -> exchange("microsoft", FakeProvider.sign(person(TENANT, oid, null),
                new FakeProvider.SigningKey(microsoft.currentKey().kid(), "RS256", FakeProvider.generate("RS256")))));
        attacks.put("algorithm 'none' is not accepted", () -> exchange("microsoft",
                FakeProvider.unsigned(person(TENANT, oid, null), microsoft.currentKey())));
        attacks.put("algorithm 'HS256' is not accepted", () -> exchange("microsoft",
                FakeProvider.hmacWithPublicKey(person(TENANT, oid, null), microsoft.currentKey())));
        attacks.put("ID token has expired", () -> exchange("microsoft", microsoft.sign(FakeProvider.expired(person(TENANT, oid, null)))));
        attacks.put("audience [another-app] is not allowed", () -> exchange("microsoft",
                microsoft.sign(microsoft.microsoftClaims(TENANT, oid, "another-app"))));
        attacks.put("tenant (tid) '" + OTHER_TENANT + "' is not allowed", () -> exchange("microsoft",
                microsoft.sign(person(OTHER_TENANT, oid, null))));
        attacks.put("tenant (tid) '" + MicrosoftTenants.PERSONAL_ACCOUNTS_TENANT + "' is not allowed", () -> exchange("microsoft",
                microsoft.sign(person(MicrosoftTenants.PERSONAL_ACCOUNTS_TENANT, oid, null))));
        attacks.put("is not the issuer of its tenant '" + TENANT + "'", () -> exchange("microsoft-any",
                microsoft.sign(microsoft.issuedBy(OTHER_TENANT, person(TENANT, oid, null)))));
        attacks.put("'microsoft-none' allows no Microsoft tenant", () -> exchange("microsoft-none", microsoft.sign(person(TENANT, oid, null))));
        attacks.put("tenant (tid) '" + TENANT + "' is not allowed for identity provider 'microsoft-pinned'", () -> exchange(
                "microsoft-pinned", microsoft.sign(person(TENANT, oid, null))));
        attacks.put("'microsoft-disabled' is not an enabled", () -> exchange("microsoft-disabled", microsoft.sign(person(TENANT, oid, null))));
        attacks.put("'microsoft-link-only' is link-only", () -> exchange("microsoft-link-only", microsoft.sign(person(TENANT, oid, null))));

        int users = realm.admin().users().count();
        List<String> failures = new ArrayList<>();
        attacks.forEach((reason, attack) -> {
            Http.Response reply = attack.get();
            String description = reply.string("error_description");
            if (reply.status() != 400 || description == null || !description.contains(reason)) {
                failures.add(reason + " -> " + reply.status() + " " + reply.body());
            }
        });
        assertTrue(failures.isEmpty(), "accepted or mis-answered: " + failures);
        assertEquals(users, realm.admin().users().count(), "a refused token created a user");
        List<String> reasons = events("TOKEN_EXCHANGE_ERROR").stream().map(e -> e.getDetails().get("reason")).toList();
        for (String reason : attacks.keySet()) {
            assertTrue(reasons.stream().anyMatch(r -> r != null && r.contains(reason)), "no error event with reason '" + reason + "' in " + reasons);
        }
    }

    @Test
    void aMicrosoftIdTokenSignsInOnlyOnce() {
        Map<String, Object> claims = person(TENANT, "oid-replay", null);
        String token = microsoft.sign(claims);
        assertEquals(200, exchange("microsoft", token).status());
        Http.Response replay = exchange("microsoft", token);
        assertEquals(400, replay.status());
        assertTrue(replay.string("error_description").contains("already used to sign in (sha256 "), replay.body());
        assertTrue(events("TOKEN_EXCHANGE_ERROR").stream().anyMatch(e -> "id_token_replayed".equals(e.getError())
                && "oid-replay".equals(e.getDetails().get("identity_provider_user_id"))), "replay event");
    }

    @Test
    void anUnprovenEmailNeverLinksAnExistingAccount() {
        // nOAuth: any tenant admin can give a user the victim's address; email_verified from Microsoft proves nothing
        Map<String, Object> takeover = person(TENANT, "oid-mallory", "ann@example.org");
        takeover.put("email_verified", true);
        Http.Response refused = exchange("microsoft", microsoft.sign(takeover));
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.string("error_description").contains("xms_edov"), refused.body());
        String annId = realm.admin().users().search("ann", true).get(0).getId();
        assertTrue(realm.admin().users().get(annId).getFederatedIdentity().isEmpty(), "ann's account was not linked");
        assertTrue(events("TOKEN_EXCHANGE_ERROR").stream().anyMatch(e -> "federated_identity_account_exists".equals(e.getError())
                && "oid-mallory".equals(e.getDetails().get("identity_provider_user_id"))), "takeover attempt event");

        // the same rule links an account when Microsoft proves the email's domain (xms_edov)
        Map<String, Object> proven = person(TENANT, "oid-eda", "eda@example.org");
        proven.put("xms_edov", true);
        Http.Response linked = exchange("microsoft", microsoft.sign(proven));
        assertEquals(200, linked.status(), linked.body());
        String edaId = realm.admin().users().search("eda", true).get(0).getId();
        assertEquals(edaId, Jwt.claims(linked.string("access_token")).path("sub").asText());
    }

    @Test
    void adminConsoleOffersTheMicrosoftSettings() {
        try (jakarta.ws.rs.core.Response info = realm.admin().identityProviders().getIdentityProviders(MicrosoftTenants.PROVIDER_ID)) {
            assertEquals(200, info.getStatus());
            String body = info.readEntity(String.class);
            for (String key : List.of(MicrosoftTenants.TENANT_ID, MicrosoftTenants.ALLOWED_TENANTS, MicrosoftTenants.ISSUER_TEMPLATE,
                    NativeSignInSettings.ALLOWED_AUDIENCES, NativeSignInSettings.LINK_BY_VERIFIED_EMAIL, NativeSignInSettings.JWKS_URL_OVERRIDE)) {
                assertTrue(body.contains("\"" + key + "\""), "microsoft page lacks " + key + ": " + body);
            }
            assertFalse(body.contains("\"" + NativeSignInSettings.ISSUER_OVERRIDE + "\""), "the issuer template replaces the issuer override");
        }
    }

    private Map<String, Object> person(String tenant, String oid, String email) {
        Map<String, Object> claims = microsoft.microsoftClaims(tenant, oid, MICROSOFT_APP);
        if (email != null) {
            claims.put("email", email);
        }
        return claims;
    }

    private Http.Response exchange(String alias, String token) {
        return Http.at(realm).exchange("mobile", alias, token, null);
    }

    private List<EventRepresentation> events(String type) {
        return realm.admin().getEvents(List.of(type), null, null, null, null, null, 0, 500);
    }
}

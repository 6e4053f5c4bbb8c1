package dev.keybridge.it.brokers;

import static dev.keybridge.it.brokers.BrokerRealm.GOOGLE_WEB_CLIENT;
import static dev.keybridge.it.brokers.BrokerRealm.WEB_REDIRECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.IdentityProviderMapperRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * Apple's {@code user} form field is posted through the browser unsigned, so whoever logs in can write
 * anything into it. Only the name is taken from it: an email there never becomes the account's (verified)
 * email, and nothing of it reaches the IdP mappers. The attack it stops: an Apple account without email
 * posts the victim's address, and the victim's later Google sign-in (link by verified email) would land
 * in the attacker's account.
 */
@KeycloakIntegrationTest
class AppleUserJsonTest {

    private static final String VICTIM = "victim@example.org";
    private static final String MAPPED_ROLE = "department-admin";

    @InjectRealm(config = UserJsonRealm.class)
    ManagedRealm realm;

    private final FakeProvider apple = FakeProvider.apple();
    private final FakeProvider google = FakeProvider.google();

    /** Apple for "web" (trusting email, with a claim-to-role mapper), Google linking by verified email for "mobile". */
    static class UserJsonRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            FakeProvider apple = FakeProvider.apple();
            apple.expectClientSecret(BrokerRealm.TEAM_ID, BrokerRealm.SERVICES_ID, BrokerRealm.APPLE_P8);
            return realm.eventsEnabled(true)
                    .roles(MAPPED_ROLE)
                    .identityProviderMappers(departmentMapper())
                    .clients(ClientBuilder.create("web").publicClient().redirectUris(WEB_REDIRECT),
                            ClientBuilder.create("mobile").publicClient().attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "google"))
                    .identityProviders(BrokerRealm.appleIdp("apple", apple, Map.of()),
                            BrokerRealm.googleIdp("google", FakeProvider.google(), Map.of(NativeSignInSettings.LINK_BY_VERIFIED_EMAIL, "true")));
        }

        private static IdentityProviderMapperRepresentation departmentMapper() {
            IdentityProviderMapperRepresentation mapper = new IdentityProviderMapperRepresentation();
            mapper.setName("department to role");
            mapper.setIdentityProviderAlias("apple");
            mapper.setIdentityProviderMapper("oidc-role-idp-mapper");
            mapper.setConfig(Map.of("claim", "department", "claim.value", "admin", "role", MAPPED_ROLE, "syncMode", "INHERIT"));
            return mapper;
        }
    }

    @Test
    void emailAndOtherFieldsOfTheUserJsonAreIgnoredOnlyTheNameIsTaken() throws Exception {
        // an Apple ID without email (the token has none); the attacker edits the posted user JSON
        apple.nextSignIn("apple-no-email-001", null,
                "{\"name\":{\"firstName\":\"Eve\",\"lastName\":\"Mallory\"},\"email\":\"" + VICTIM + "\",\"department\":\"admin\"}");
        Browser browser = new Browser();
        HttpResponse<String> end = AppleLogins.postBack(browser, AppleLogins.openAuthorize(browser, realm.getBaseUrl(), "apple", apple));
        if (end.statusCode() == 200 && AppleLogins.inputs(end.body()).containsKey("email")) {
            // first-broker-login asks for the missing email; the attacker types the victim's there too
            Map<String, String> profile = AppleLogins.inputs(end.body());
            assertEquals("Eve", profile.get("firstName"), "the review form is prefilled with the name from the user JSON");
            assertEquals("", profile.get("email"), "the user JSON's email is not offered as the account's email");
            profile.put("email", VICTIM);
            end = browser.follow(browser.post(Browser.formAction(end.body()), profile), WEB_REDIRECT);
        }
        AppleLogins.assertRedirectedWithCode(end);

        UserRepresentation eve = realm.admin().users().search("Mallory", 0, 10).stream()
                .filter(u -> "Mallory".equals(u.getLastName())).findFirst().orElseThrow();
        assertEquals("Eve", eve.getFirstName(), "the name comes from the user JSON");
        assertFalse(VICTIM.equals(eve.getEmail()) && Boolean.TRUE.equals(eve.isEmailVerified()),
                "an email from the unsigned user JSON must never be a verified email: " + eve.getEmail());
        List<String> roles = realm.admin().users().get(eve.getId()).roles().realmLevel().listEffective().stream()
                .map(r -> r.getName()).toList();
        assertFalse(roles.contains(MAPPED_ROLE), "claim mappers must not read the user JSON; roles " + roles);

        // the real owner of the address signs in with Google for the first time
        Map<String, Object> claims = google.claims("google-victim-001", GOOGLE_WEB_CLIENT);
        claims.put("email", VICTIM);
        claims.put("email_verified", true);
        Http.Response victim = Http.at(realm).exchange("mobile", "google", google.sign(claims), null);
        if (victim.status() == 200) {
            assertFalse(eve.getId().equals(Jwt.claims(victim.string("access_token")).path("sub").asText()),
                    "the victim's Google sign-in landed in the attacker's account");
        }
        assertTrue(realm.admin().users().get(eve.getId()).getFederatedIdentity().stream()
                .noneMatch(link -> "google".equals(link.getIdentityProvider())), "Google was linked to the attacker's account");
    }
}

package dev.keybridge.it.compat.timelapseme;

import static dev.keybridge.it.compat.timelapseme.TimeLapseMeTest.assertText;
import static dev.keybridge.it.compat.timelapseme.TimeLapseMeTest.assertTokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.keybridge.it.brokers.BrokerRealm;
import dev.keybridge.it.compat.CompatRealms;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * TimeLapseMe's credentials sign-up creates the user through Keycloak's user profile in the REGISTRATION context,
 * as the registration form does: the realm's validators, required attributes and unmanaged-attribute policy refuse
 * with the original's sign-up error (400, plain text), and nothing is created.
 */
@KeycloakIntegrationTest
class TimeLapseMeUserProfileTest {

    private static final String PASSWORD = "long-enough-1";

    /** Emails only at allowed.example; nicknames of letters only, at most 12 characters. */
    @InjectRealm(config = StrictProfileRealm.class)
    ManagedRealm strict;

    /** A required attribute TimeLapseMe never sends. */
    @InjectRealm(ref = "required-attribute", config = RequiredAttributeRealm.class)
    ManagedRealm requiredAttribute;

    /** Keycloak's default profile with names optional and no nickname declared: unmanaged attributes disabled. */
    @InjectRealm(ref = "undeclared-nickname", config = UndeclaredNicknameRealm.class)
    ManagedRealm undeclaredNickname;

    static class StrictProfileRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            List<Map<String, Object>> attributes = new ArrayList<>(BrokerRealm.optionalNamesAndEmail());
            attributes.set(1, BrokerRealm.attribute("email", Map.of("email", Map.of(), "length", Map.of("max", 255),
                    "pattern", Map.of("pattern", "^[^@]+@allowed\\.example$", "error-message", "email-domain-not-allowed"))));
            attributes.add(BrokerRealm.attribute("nickname", Map.of("length", Map.of("max", 12),
                    "pattern", Map.of("pattern", "^[A-Za-z]+$", "error-message", "nickname-letters-only"))));
            return base(realm).update(r -> BrokerRealm.userProfile(r, attributes));
        }
    }

    static class RequiredAttributeRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            List<Map<String, Object>> attributes = new ArrayList<>(BrokerRealm.optionalNamesAndEmail());
            attributes.add(BrokerRealm.attribute("nickname", Map.of()));
            Map<String, Object> department = new java.util.HashMap<>(BrokerRealm.attribute("department", Map.of()));
            department.put("required", Map.of("roles", List.of("user")));
            attributes.add(department);
            return base(realm).update(r -> BrokerRealm.userProfile(r, attributes));
        }
    }

    static class UndeclaredNicknameRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return base(realm).update(BrokerRealm::namesAndEmailOptional);
        }
    }

    private static RealmBuilder base(RealmBuilder realm) {
        return CompatRealms.withoutVerifyProfile(realm).registrationAllowed(true).eventsEnabled(true)
                .clients(TimeLapseMeTest.appClient());
    }

    private static Http.Response signUp(ManagedRealm realm, String email, String nickname) throws Exception {
        return Http.at(realm).resource("timelapseme").postJson("api/v1/signup/credentials",
                Http.toJson(Map.of("email", email, "password", PASSWORD, "passwordConfirm", PASSWORD, "nickname", nickname)));
    }

    private static void assertRefusedWithoutUser(ManagedRealm realm, Http.Response response, String text, String email) {
        assertText(response, text);
        assertEquals(List.of(), realm.admin().users().searchByEmail(email, true), "a refused sign-up created " + email);
        List<EventRepresentation> events = realm.admin().getEvents(List.of("REGISTER_ERROR"), null, null, null, null, null, 0, 100);
        assertTrue(events.stream().anyMatch(e -> "invalid_registration".equals(e.getError())
                        && String.valueOf(e.getDetails().get("reason")).startsWith("user profile:")),
                "REGISTER_ERROR invalid_registration with the profile's reason: " + events);
    }

    @Test
    void theProfilesValidatorsRefuseWithTheOriginalsSignUpError() throws Exception {
        assertRefusedWithoutUser(strict, signUp(strict, "eve@elsewhere.example", "Eve"),
                "Invalid request:\nemail is invalid (email-domain-not-allowed)", "eve@elsewhere.example");
        assertRefusedWithoutUser(strict, signUp(strict, "eve@allowed.example", "Eve-1"),
                "Invalid request:\nnickname is invalid (nickname-letters-only)", "eve@allowed.example");
        assertRefusedWithoutUser(strict, signUp(strict, "eve@allowed.example", "Evangelina" + "Eve"),
                "Invalid request:\nnickname is invalid (error-invalid-length-too-long)", "eve@allowed.example");

        // what the profile accepts signs up, nickname stored
        String access = assertTokens(signUp(strict, "eve@allowed.example", "Eve")).path("accessToken").asText();
        assertEquals("Eve", Jwt.claims(access).path("nickname").asText());
        assertEquals(List.of("Eve"), strict.admin().users().searchByEmail("eve@allowed.example", true).get(0).getAttributes().get("nickname"));
    }

    @Test
    void aRequiredAttributeTheAppCannotSendRefusesSignUp() throws Exception {
        assertRefusedWithoutUser(requiredAttribute, signUp(requiredAttribute, "rae@example.org", "Rae"),
                "Invalid request:\ndepartment is a required field", "rae@example.org");
    }

    @Test
    void aNicknameTheProfileWouldDropRefusesSignUp() throws Exception {
        assertRefusedWithoutUser(undeclaredNickname, signUp(undeclaredNickname, "una@example.org", "Una"),
                "An error occurred while attempting to create a new user.", "una@example.org");
    }
}

package dev.keybridge.it.brokers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.keybridge.it.harness.Http;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.realm.ManagedRealm;

/** What the native sign-in tests look at after a request: the refusal, the one user, their links, the realm's events. */
final class SignInChecks {

    private SignInChecks() {
    }

    static void assertRejected(Http.Response reply, String descriptionPart) {
        assertEquals(400, reply.status(), reply.body());
        assertEquals("invalid_grant", reply.string("error"), reply.body());
        String description = reply.string("error_description");
        assertTrue(description != null && description.contains(descriptionPart), "description: " + description);
    }

    static UserRepresentation singleUser(ManagedRealm realm, String search) {
        List<UserRepresentation> found = realm.admin().users().search(search, true);
        assertEquals(1, found.size(), "users matching " + search);
        return found.get(0);
    }

    /** The user's federated identities as {@code alias:user id}. */
    static List<String> links(ManagedRealm realm, UserRepresentation user) {
        return realm.admin().users().get(user.getId()).getFederatedIdentity().stream()
                .map((FederatedIdentityRepresentation f) -> f.getIdentityProvider() + ":" + f.getUserId()).toList();
    }

    static List<EventRepresentation> events(ManagedRealm realm, String type) {
        return realm.admin().getEvents(List.of(type), null, null, null, null, null, 0, 500);
    }
}

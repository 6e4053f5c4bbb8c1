package dev.keybridge.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.testframework.realm.ManagedRealm;

/** The mysql-users components a test adds to its realm through the admin REST API, removed after each test. */
final class LegacyComponents {

    private final List<String> ids = new ArrayList<>();

    /** Adds a component on the database, failing the test unless the admin API creates it; its id. */
    String add(ManagedRealm realm, String mode, String jdbcUrl, Map<String, String> settings) {
        return created(realm.admin().components().add(
                LegacyUsersDatabase.component(realm.admin().toRepresentation().getId(), mode, jdbcUrl, settings)));
    }

    /** The id of the component the admin API's answer created, failing the test unless it is a 201. */
    String created(Response response) {
        try (response) {
            assertEquals(201, response.getStatus(), response.readEntity(String.class));
            return track(CreatedResponseUtil.getCreatedId(response));
        }
    }

    /** Removes the component after the test. */
    String track(String id) {
        ids.add(id);
        return id;
    }

    String first() {
        return ids.get(0);
    }

    void removeAll(ManagedRealm realm) {
        ids.forEach(id -> realm.admin().components().component(id).remove());
        ids.clear();
    }
}

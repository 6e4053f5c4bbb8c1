package dev.keybridge.rest.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

    @Test
    void failureIsAnsweredWithAFixedMessageOnly() {
        Optional<String> problem = HealthProbe.databaseProblem("test/healthcheck", () -> {
            throw new PersistenceException("Connection to db.internal:5432 refused for user keycloak; SQL select * from REALM");
        });
        assertEquals(Optional.of(HealthProbe.DATABASE_NOT_USABLE), problem);
    }

    @Test
    void workingProbeHasNoProblem() {
        assertEquals(Optional.empty(), HealthProbe.databaseProblem("test/healthcheck", () -> { }));
    }
}

package dev.keybridge.it.container;

import java.util.List;

import org.keycloak.testframework.TestFrameworkExtension;
import org.keycloak.testframework.injection.Supplier;

/** Adds the testcontainers-keycloak server to the test framework's server choices. */
public class TestcontainersExtension implements TestFrameworkExtension {

    @Override
    public List<Supplier<?, ?>> suppliers() {
        return List.of(new TestcontainersKeycloakServerSupplier());
    }
}

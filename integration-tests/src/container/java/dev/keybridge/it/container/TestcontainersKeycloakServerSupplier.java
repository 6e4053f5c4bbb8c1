package dev.keybridge.it.container;

import org.jboss.logging.Logger;
import org.keycloak.testframework.server.AbstractKeycloakServerSupplier;
import org.keycloak.testframework.server.KeycloakServer;

/** Selected with kc.test.server=testcontainers (the container profile sets it). */
public class TestcontainersKeycloakServerSupplier extends AbstractKeycloakServerSupplier {

    private static final Logger LOGGER = Logger.getLogger(TestcontainersKeycloakServerSupplier.class);

    @Override
    public KeycloakServer getServer() {
        return new TestcontainersKeycloakServer();
    }

    @Override
    public boolean requiresDatabase() {
        return true;
    }

    @Override
    public String getAlias() {
        return "testcontainers";
    }

    @Override
    public Logger getLogger() {
        return LOGGER;
    }
}

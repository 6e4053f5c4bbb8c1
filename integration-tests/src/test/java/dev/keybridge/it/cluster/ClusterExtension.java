package dev.keybridge.it.cluster;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts the one {@link KeycloakCluster} of the test run before the first cluster test class and has
 * JUnit close it (stop both nodes, drop the database) when the run ends; hands it to
 * {@code @BeforeAll} methods; prints both nodes' log tails when a test fails.
 */
public final class ClusterExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KeycloakCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.err.println(context.getDisplayName() + " failed;" + cluster(context).logTails());
    }

    private static KeycloakCluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(KeycloakCluster.class, key -> {
            try {
                return KeycloakCluster.start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the cluster", e);
            } catch (Exception e) {
                throw new IllegalStateException("the two-node Keycloak cluster did not start: " + e.getMessage(), e);
            }
        }, KeycloakCluster.class);
    }
}

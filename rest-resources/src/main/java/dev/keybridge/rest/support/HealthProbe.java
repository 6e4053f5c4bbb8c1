package dev.keybridge.rest.support;

import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * The database probe of the unauthenticated health-check routes: anyone may call them, so a failure is answered with a
 * fixed message and its details (driver text, host names, SQL) go to the server log only.
 */
public final class HealthProbe {

    static final String DATABASE_NOT_USABLE = "Database not usable";

    private static final Logger LOG = Logger.getLogger(HealthProbe.class);

    private HealthProbe() {
    }

    /** @return empty when the probe ran, else {@value #DATABASE_NOT_USABLE}; the failure is logged with its details */
    public static Optional<String> databaseProblem(String route, Runnable probe) {
        try {
            probe.run();
            return Optional.empty();
        } catch (RuntimeException failure) {
            LOG.warnf(failure, "%s: the database probe failed", route);
            return Optional.of(DATABASE_NOT_USABLE);
        }
    }
}

package dev.keybridge.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.agroal.api.AgroalDataSource;
import org.jboss.logging.Logger;
import org.keycloak.storage.StorageUnavailableException;

/**
 * One component's connection pool behind a circuit breaker. A connection failure, or a login lookup
 * that has no answer within the lookup timeout, marks MySQL down: from then on every statement fails
 * at once (no connect, no wait) and a background probe runs {@code SELECT 1} every second; the first
 * answer marks it up again. Keycloak turns the failure into "not found here", so a federated login
 * fails like a wrong password and local users are not touched.
 */
final class LegacyDatabase {

    /** A unit of JDBC work on one pooled connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * A statement not attempted because MySQL is known to be down: expected while the outage lasts,
     * so callers log it quietly (the outage itself is logged once, when it starts and when it ends).
     */
    static final class MarkedDownException extends StorageUnavailableException {
        MarkedDownException(String message) {
            super(message);
        }
    }

    static final long PROBE_INTERVAL_MILLIS = 1000;

    private static final Logger LOG = Logger.getLogger(LegacyDatabase.class);

    private final String componentId;
    private final AgroalDataSource dataSource;
    private final int lookupTimeoutMillis;
    private final ExecutorService lookups;
    private final ScheduledExecutorService scheduler;
    /** When MySQL was marked down and why; null while it answers. */
    private volatile Outage outage;
    private ScheduledFuture<?> probing;
    private volatile Future<?> probeInFlight;

    private record Outage(Instant since, String cause) {
    }

    LegacyDatabase(String componentId, AgroalDataSource dataSource, int lookupTimeoutMillis, ExecutorService lookups,
                   ScheduledExecutorService scheduler) {
        this.componentId = componentId;
        this.dataSource = dataSource;
        this.lookupTimeoutMillis = lookupTimeoutMillis;
        this.lookups = lookups;
        this.scheduler = scheduler;
    }

    /** The pool itself, for work outside the breaker (checking a configuration on save). */
    AgroalDataSource dataSource() {
        return dataSource;
    }

    boolean down() {
        return outage != null;
    }

    /** A statement bounded by the pool's and the driver's timeouts (searches, counts, writes). */
    <T> T run(String operation, SqlWork<T> work) {
        failFastWhileDown(operation);
        return runOnPool(operation, work);
    }

    /**
     * A statement on a login's path (lookup by id, username or email), bounded as a whole by the
     * lookup timeout, however the driver or the pool would wait: a hung server costs one login
     * that long, and the following ones nothing.
     */
    <T> T lookup(String operation, SqlWork<T> work) {
        failFastWhileDown(operation);
        Future<T> result;
        try {
            result = lookups.submit(() -> runOnPool(operation, work));
        } catch (RejectedExecutionException e) {
            throw new StorageUnavailableException("MySQL users: " + operation + ": too many lookups waiting", e);
        }
        try {
            return result.get(lookupTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            markDown("no answer within " + lookupTimeoutMillis + " ms");
            throw new StorageUnavailableException("MySQL users: " + operation + ": no answer within "
                    + lookupTimeoutMillis + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StorageUnavailableException("MySQL users: " + operation + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            throw new StorageUnavailableException("MySQL users: " + operation + " interrupted", e);
        }
    }

    void close() {
        synchronized (this) {
            if (probing != null) {
                probing.cancel(false);
            }
        }
        dataSource.close();
    }

    private void failFastWhileDown(String operation) {
        Outage current = outage;
        if (current != null) {
            throw new MarkedDownException("MySQL users: " + operation + " not attempted: MySQL is marked down since "
                    + current.since() + " (" + current.cause() + "); a background probe checks it every second");
        }
    }

    private <T> T runOnPool(String operation, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            if (isConnectionProblem(e)) {
                markDown(e.getMessage());
            }
            throw new StorageUnavailableException("MySQL users: " + operation + " failed: " + e.getMessage(), e);
        }
    }

    /** SQLState class 08 is a connection failure; the pool's own timeouts carry no state. 28 is bad credentials. */
    static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("HY");
    }

    private synchronized void markDown(String cause) {
        if (outage != null) {
            return;
        }
        outage = new Outage(Instant.now(), cause);
        LOG.warnf("MySQL users (component %s): MySQL marked down (%s); federated lookups fail at once until a "
                + "background probe gets an answer", componentId, cause);
        // connections made before the outage may be dead or stuck: none is handed out again
        scheduler.execute(() -> dataSource.flush(AgroalDataSource.FlushMode.ALL));
        probing = scheduler.scheduleWithFixedDelay(this::probe, PROBE_INTERVAL_MILLIS, PROBE_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** One probe at a time: a probe stuck on a hung server is waited for, not stacked. */
    private void probe() {
        if (probeInFlight != null && !probeInFlight.isDone()) {
            return;
        }
        probeInFlight = lookups.submit(() -> {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
                statement.setQueryTimeout(Math.max(1, lookupTimeoutMillis / 1000));
                statement.executeQuery().close();
                markUp();
            } catch (SQLException e) {
                LOG.debugf("MySQL users (component %s): probe failed: %s", componentId, e.getMessage());
            }
            return null;
        });
    }

    private synchronized void markUp() {
        Outage ended = outage;
        if (ended == null) {
            return;
        }
        outage = null;
        probing.cancel(false);
        probing = null;
        LOG.infof("MySQL users (component %s): MySQL answers again; down since %s", componentId, ended.since());
    }
}

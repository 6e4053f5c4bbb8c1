package dev.keybridge.storage;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalConnectionFactoryConfigurationSupplier;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.MySQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import org.jboss.logging.Logger;
import org.keycloak.storage.StorageUnavailableException;

/**
 * One Agroal pool per component (Agroal and both drivers ship with Keycloak). A pool is built on
 * first use and replaced when the component's connection settings differ from the ones it was
 * built with, which also covers a change saved on another cluster node. The factory closes the
 * pool when the component is updated or removed, and all of them on shutdown. Each pool sits behind
 * a {@link LegacyDatabase} circuit breaker; the threads that bound login lookups and probe a down
 * MySQL are shared by all components.
 */
final class ConnectionPools {

    private static final Logger LOG = Logger.getLogger(ConnectionPools.class);

    private record Pool(StorageConfig.ConnectionSettings settings, LegacyDatabase database) {
    }

    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    /** Runs login lookups so a caller can stop waiting; the queue bounds a burst, not a steady load. */
    private final ThreadPoolExecutor lookups = new ThreadPoolExecutor(32, 32, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(4096), daemonThreads("mysql-users-lookup"));
    private final ScheduledExecutorService probes = Executors.newScheduledThreadPool(2, daemonThreads("mysql-users-probe"));

    ConnectionPools() {
        lookups.allowCoreThreadTimeOut(true);
    }

    /** @param password the JDBC password with any vault reference resolved; asked only to build a pool */
    LegacyDatabase database(String componentId, StorageConfig.ConnectionSettings settings, Supplier<String> password) {
        Pool pool = pools.compute(componentId, (id, existing) -> {
            if (existing != null && existing.settings().equals(settings)) {
                return existing;
            }
            if (existing != null) {
                existing.database().close();
            }
            return new Pool(settings, new LegacyDatabase(id, open(id, settings, password.get()),
                    settings.lookupTimeoutMillis(), lookups, probes));
        });
        return pool.database();
    }

    void close(String componentId) {
        Pool pool = pools.remove(componentId);
        if (pool != null) {
            pool.database().close();
            LOG.debugf("closed the MySQL users pool of component %s", componentId);
        }
    }

    void closeAll() {
        pools.keySet().forEach(this::close);
        lookups.shutdownNow();
        probes.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static AgroalDataSource open(String componentId, StorageConfig.ConnectionSettings settings, String password) {
        Duration connectTimeout = Duration.ofMillis(settings.connectTimeoutMillis());
        AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .initialSize(0)
                        .minSize(0)
                        .maxSize(settings.poolMaxSize())
                        // waiting for a free connection is bounded like connecting is
                        .acquisitionTimeout(connectTimeout)
                        // a connection idle for a while is checked before use, so one broken by a
                        // MySQL restart is replaced instead of failing a login
                        .idleValidationTimeout(Duration.ofSeconds(30))
                        .connectionValidator(ConnectionValidator.defaultValidatorWithTimeout(
                                Math.max(1, settings.connectTimeoutMillis() / 1000)))
                        .exceptionSorter(new MySQLExceptionSorter())
                        .reapTimeout(Duration.ofMinutes(5))
                        .maxLifetime(Duration.ofMinutes(30))
                        .connectionFactoryConfiguration(factory -> withDriverProperties(factory, settings.url())
                                // rebuilt from the parsed URL; its options and the forced-off features go as properties
                                .jdbcUrl(settings.url().driverUrl())
                                .connectionProviderClass(driverClass(settings.url()))
                                .principal(settings.user().isEmpty() ? null : new NamePrincipal(settings.user()))
                                .credential(new SimplePassword(password))
                                .loginTimeout(connectTimeout)
                                .autoCommit(true)
                                // both drivers take these, in milliseconds
                                .jdbcProperty("connectTimeout", Integer.toString(settings.connectTimeoutMillis()))
                                .jdbcProperty("socketTimeout", Integer.toString(settings.socketTimeoutMillis()))));
        try {
            AgroalDataSource dataSource = AgroalDataSource.from(configuration);
            LOG.debugf("opened a MySQL users pool for component %s (max %d connections)", componentId, settings.poolMaxSize());
            return dataSource;
        } catch (SQLException e) {
            throw new StorageUnavailableException("cannot create the connection pool: " + e.getMessage(), e);
        }
    }

    private static AgroalConnectionFactoryConfigurationSupplier withDriverProperties(
            AgroalConnectionFactoryConfigurationSupplier factory, JdbcUrl url) {
        url.driverProperties().forEach(factory::jdbcProperty);
        return factory;
    }

    /** The driver Keycloak ships for the URL's scheme, named so no DriverManager lookup is involved. */
    private static Class<?> driverClass(JdbcUrl url) {
        String name = url.driver().driverClass();
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new StorageUnavailableException("JDBC driver " + name + " is not on Keycloak's class path", e);
        }
    }
}

package fi.hg.bus.adapters.persistence.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import fi.hg.bus.application.storage.StorageProbe;
import fi.hg.bus.application.storage.StorageUnavailableException;
import fi.hg.bus.application.storage.Transactions;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The product's PostgreSQL database: a connection pool, the schema migrations and the
 * transactions of the use cases. The server runs while the database cannot be reached: every use
 * then fails with {@link StorageUnavailableException}, and the store recovers by itself, migrating
 * the schema as soon as the database answers.
 */
public final class PostgresStore implements Transactions, StorageProbe, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresStore.class.getName());
    private static final String UNAVAILABLE = "usage storage is unavailable: ";

    /** How the store is reached and how it behaves. */
    public record Options(int poolSize, Duration connectTimeout, Duration migrationRetry) {
        public static Options defaults() {
            return new Options(16, Duration.ofSeconds(3), Duration.ofSeconds(1));
        }
    }

    private final HikariDataSource dataSource;
    private final DSLContext pooled;
    private final ScheduledExecutorService migrator;
    private final ThreadLocal<DSLContext> current = new ThreadLocal<>();
    private volatile boolean migrated;
    private volatile boolean attempted;
    private volatile String lastProblem = "the schema has not been migrated yet";

    private PostgresStore(DatabaseUrl url, Options options, UnaryOperator<DataSource> connections) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bus");
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setMaximumPoolSize(options.poolSize());
        config.setMinimumIdle(Math.min(2, options.poolSize()));
        config.setConnectionTimeout(options.connectTimeout().toMillis());
        config.setValidationTimeout(Math.max(250, options.connectTimeout().toMillis() / 2));
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, options.connectTimeout().toSeconds())));
        config.addDataSourceProperty("socketTimeout", "60");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("options", "-c TimeZone=UTC");
        if (connections != null) {
            // What HikariCP builds from the JDBC URL itself, handed through the observer first.
            config.setDataSource(connections.apply(new DriverDataSource(url.jdbcUrl(), null,
                    config.getDataSourceProperties(), url.user(), url.password())));
        }
        this.dataSource = new HikariDataSource(config);
        Settings settings = new Settings().withExecuteLogging(false).withRenderSchema(false);
        this.pooled = DSL.using(dataSource, SQLDialect.POSTGRES, settings);
        this.migrator = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bus-migrations");
            t.setDaemon(true);
            return t;
        });
        this.migrator.scheduleWithFixedDelay(this::migrateOnce, 0, options.migrationRetry().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Opens the store; migration starts at once in the background and repeats until it succeeds. */
    public static PostgresStore open(DatabaseUrl url, Options options) {
        return new PostgresStore(url, options, null);
    }

    /**
     * Opens the store with the driver's connections passed through {@code connections} before the
     * pool sees them: a wrapper that observes them, e.g. counts the statements each use case
     * sends (the tests that pin round trips per request do).
     */
    public static PostgresStore open(DatabaseUrl url, Options options, UnaryOperator<DataSource> connections) {
        return new PostgresStore(url, options, connections);
    }

    /** Waits up to {@code timeout} for the schema to be ready; returns whether it is. */
    public boolean awaitReady(Duration timeout) {
        return await(timeout, false);
    }

    /**
     * Waits up to {@code timeout} for the first migration attempt to end, successful or not;
     * returns whether the schema is ready.
     */
    public boolean awaitFirstAttempt(Duration timeout) {
        return await(timeout, true);
    }

    private boolean await(Duration timeout, boolean firstAttemptIsEnough) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!migrated && !(firstAttemptIsEnough && attempted) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return migrated;
            }
        }
        return migrated;
    }

    private void migrateOnce() {
        if (migrated) {
            throw new StopRetrying();
        }
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            migrated = true;
            LOG.fine("database schema is up to date");
            throw new StopRetrying();
        } catch (StopRetrying stop) {
            throw stop;
        } catch (RuntimeException e) {
            attempted = true;
            String reason = describe(e);
            if (!reason.equals(lastProblem)) {
                LOG.warning("database not ready, retrying: " + reason);
            }
            lastProblem = reason;
        }
    }

    /** Thrown to end the scheduled migration attempts once the schema is migrated. */
    private static final class StopRetrying extends RuntimeException {
        StopRetrying() {
            super(null, null, false, false);
        }
    }

    /** How often a transaction that lost a deadlock or a serialization conflict is run again. */
    private static final int ATTEMPTS = 4;

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        ensureMigrated();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(work);
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isRetryable(e)) {
                    throw e;
                }
            }
        }
    }

    private <T> T attempt(Supplier<T> work) {
        Connection connection = borrow();
        try {
            connection.setAutoCommit(false);
            current.set(DSL.using(connection, SQLDialect.POSTGRES, pooled.settings()));
            T result = work.get();
            connection.commit();
            return result;
        } catch (RuntimeException | SQLException e) {
            rollbackQuietly(connection);
            throw translate(e);
        } finally {
            current.remove();
            closeQuietly(connection);
        }
    }

    /** A deadlock or serialization failure: the transaction was rolled back and may simply run again. */
    static boolean isRetryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs one piece of database work: inside the caller's transaction when there is one, else on
     * a pooled connection in auto-commit mode. Connectivity failures become
     * {@link StorageUnavailableException}.
     */
    public <T> T withContext(Function<DSLContext, T> work) {
        DSLContext tx = current.get();
        if (tx != null) {
            return work.apply(tx);
        }
        ensureMigrated();
        try {
            return work.apply(pooled);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** Work on a JDBC connection: one statement, or a few. */
    @FunctionalInterface
    public interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs a statement that is complete by itself: inside the caller's transaction when there is
     * one, else on a pooled connection in auto-commit mode, where the statement is its own
     * transaction and costs one round trip (an explicit transaction would add a COMMIT). Run alone,
     * a statement that lost a deadlock or a serialization conflict was rolled back whole and is run
     * again, as {@link #inTransaction} does. Connectivity failures become
     * {@link StorageUnavailableException}.
     */
    public <T> T statement(ConnectionWork<T> work) {
        if (current.get() != null) {
            return withContext(dsl -> dsl.connectionResult(work::run));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return withContext(dsl -> dsl.connectionResult(work::run));
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isRetryable(e)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void check() {
        ensureMigrated();
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.setQueryTimeout(5);
            s.execute("select 1 from flyway_schema_history limit 1");
        } catch (SQLException e) {
            throw new StorageUnavailableException(UNAVAILABLE + describe(e), e);
        }
    }

    private void ensureMigrated() {
        if (!migrated) {
            throw new StorageUnavailableException(UNAVAILABLE + lastProblem);
        }
    }

    private Connection borrow() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new StorageUnavailableException(UNAVAILABLE + describe(e), e);
        }
    }

    /** Connectivity failures become {@link StorageUnavailableException}; anything else is left as it is. */
    static RuntimeException translate(Exception e) {
        if (e instanceof StorageUnavailableException s) {
            return s;
        }
        if (isConnectivity(e)) {
            return new StorageUnavailableException(UNAVAILABLE + describe(e), e);
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }

    static boolean isConnectivity(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03") || state.equals("53300")) {
                    return true;
                }
            }
            if (t instanceof java.net.ConnectException || t instanceof java.io.EOFException
                    || t instanceof java.net.SocketException) {
                return true;
            }
        }
        return false;
    }

    /** A short reason for messages, with no URL, user or password in it. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "the database refused the connection";
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08")) {
                    return "the database cannot be reached";
                }
                if (state.startsWith("57P")) {
                    return "the database is shutting down or starting up";
                }
                if (state.equals("53300")) {
                    return "the database has too many connections";
                }
                if (state.equals("28P01") || state.equals("28000")) {
                    return "the database refused the credentials";
                }
                if (state.equals("3D000")) {
                    return "the database does not exist";
                }
            }
            if (t instanceof SQLTransientConnectionException) {
                return "no database connection became free in time (the database is overloaded or cannot be reached)";
            }
        }
        return "the database failed (" + e.getClass().getSimpleName() + ")";
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "closing a connection failed", e);
        }
    }

    public boolean isMigrated() {
        return migrated;
    }

    /**
     * The connection pool's use now, read from the pool's memory (no database round trip).
     *
     * @param active  connections lent out
     * @param idle    connections waiting in the pool
     * @param pending threads waiting for a connection
     * @param max     the pool's size limit
     */
    public record PoolUse(int active, int idle, int pending, int max) {
    }

    public PoolUse poolUse() {
        var pool = dataSource.getHikariPoolMXBean();
        int max = dataSource.getMaximumPoolSize();
        if (pool == null) {
            return new PoolUse(0, 0, 0, max);
        }
        return new PoolUse(pool.getActiveConnections(), pool.getIdleConnections(), pool.getThreadsAwaitingConnection(), max);
    }

    @Override
    public void close() {
        migrator.shutdownNow();
        dataSource.close();
    }
}

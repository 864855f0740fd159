package fi.hg.bus.adapters.persistence.testing;

import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.store.EmbeddedStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Fresh databases for tests: made on the PostgreSQL server named by {@code BUS_TEST_DATABASE_URL}
 * when it is set, else on one embedded PostgreSQL started for this test run. Every database made
 * here is dropped when the test JVM ends.
 */
public final class TestDatabases {

    private static final Object LOCK = new Object();
    private static DatabaseUrl admin;
    private static EmbeddedStore embedded;
    private static final List<String> made = new ArrayList<>();

    private TestDatabases() {
    }

    /** Makes a new, empty database and returns where it is. */
    public static DatabaseUrl create() {
        String name = "bus_test_" + UUID.randomUUID().toString().replace("-", "");
        DatabaseUrl server = adminUrl();
        execute(server, "create database " + name);
        synchronized (LOCK) {
            made.add(name);
        }
        return new DatabaseUrl(server.jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1"), server.user(), server.password());
    }

    /** The maintenance database of the server tests use. */
    public static DatabaseUrl adminUrl() {
        synchronized (LOCK) {
            if (admin == null) {
                String configured = System.getenv("BUS_TEST_DATABASE_URL");
                if (configured != null && !configured.isBlank()) {
                    admin = DatabaseUrl.parse(configured);
                } else {
                    try {
                        Path dir = Files.createTempDirectory("bus-test-pg");
                        embedded = EmbeddedStore.start(dir);
                        admin = embedded.adminUrl();
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropAll, "drop-test-databases"));
            }
            return admin;
        }
    }

    public static void drop(DatabaseUrl url) {
        String name = url.jdbcUrl().replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
        execute(adminUrl(), "drop database if exists " + name + " with (force)");
        synchronized (LOCK) {
            made.remove(name);
        }
    }

    private static void dropAll() {
        List<String> names;
        synchronized (LOCK) {
            names = new ArrayList<>(made);
        }
        for (String name : names) {
            try {
                execute(admin, "drop database if exists " + name + " with (force)");
            } catch (RuntimeException ignored) {
                // the server may already be gone
            }
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    public static Connection connect(DatabaseUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
    }

    private static void execute(DatabaseUrl url, String sql) {
        try (Connection c = connect(url); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database setup failed: " + e.getMessage(), e);
        }
    }
}

package fi.hg.bus.adapters.persistence.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL server started from the binaries shipped in a Maven artifact, keeping its data in a
 * directory of its own across restarts. For trying the product and for development.
 */
public final class EmbeddedStore implements AutoCloseable {

    private static final String DATABASE = "bus";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedStore(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /** Starts the server on a free loopback port with its data in {@code dataDirectory}, creating it when new. */
    public static EmbeddedStore start(Path dataDirectory) {
        return start(dataDirectory, 0);
    }

    /** As {@link #start(Path)}, on a given port (0: any free one). */
    public static EmbeddedStore start(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.DISCARD);
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            EmbeddedStore store = new EmbeddedStore(postgres, dataDirectory);
            store.createDatabaseIfMissing();
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not start in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    private void createDatabaseIfMissing() {
        try (var c = postgres.getPostgresDatabase().getConnection();
             var check = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            check.setString(1, DATABASE);
            if (!check.executeQuery().next()) {
                try (var create = c.createStatement()) {
                    create.execute("create database " + DATABASE);
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create the embedded database: " + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Where the product's database is. */
    public DatabaseUrl url() {
        return new DatabaseUrl("jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE, "postgres", null);
    }

    /** Where the server's maintenance database is, for making and dropping databases. */
    public DatabaseUrl adminUrl() {
        return new DatabaseUrl("jdbc:postgresql://127.0.0.1:" + port() + "/postgres", "postgres", null);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package fi.hg.bus.app.jar;

import fi.hg.bus.adapters.persistence.store.EmbeddedStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server that a test owns and may stop and start again: its own data directory, its
 * own loopback port, the real PostgreSQL 14 binaries of the embedded store. The first start goes
 * through {@link EmbeddedStore} (which makes the data directory, the {@code bus} database, and
 * unpacks the binaries); from then on the server is driven the way an operator drives one:
 * {@code pg_ctl start} on the same data directory and port, and a fast ({@code SIGINT}) or
 * immediate ({@code SIGQUIT}, no checkpoint, crash recovery at the next start) shutdown sent to
 * the postmaster.
 * <p>
 * Commits are synchronous (PostgreSQL's default; the embedded store turns them off for speed):
 * with {@code synchronous_commit=off} an immediate shutdown may lose transactions whose commit
 * was already answered, and a test of what is kept across restarts must not allow that. fsync is
 * off ({@code -F}): the operating system does not crash here, so what PostgreSQL wrote survives.
 * <p>
 * PostgreSQL refuses to run as root; as root the tools run in a user namespace of their own
 * ({@code unshare -U}), as the embedded store itself does.
 */
final class OwnPostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final Path binaries;
    private final Path log;
    private final int port;

    private OwnPostgres(Path dataDirectory, Path binaries, Path log, int port) {
        this.dataDirectory = dataDirectory;
        this.binaries = binaries;
        this.log = log;
        this.port = port;
    }

    /** Makes a server in {@code directory} on a free port and starts it. */
    static OwnPostgres create(Path directory) {
        Path data = directory.resolve("data");
        int port = freePort();
        Path binaries;
        try (EmbeddedStore first = EmbeddedStore.start(data, port)) {
            long pid = postmasterPid(data);
            String command = ProcessHandle.of(pid).flatMap(p -> p.info().command())
                    .orElseThrow(() -> new IllegalStateException("cannot see the postmaster's binary"));
            binaries = Path.of(command).getParent();
        }
        OwnPostgres postgres = new OwnPostgres(data, binaries, directory.resolve("postgres.log"), port);
        postgres.start();
        return postgres;
    }

    int port() {
        return port;
    }

    /** The product's database as {@code bus serve} is given it. */
    String url() {
        return "postgres://postgres@127.0.0.1:" + port + "/bus?sslmode=disable";
    }

    /** A connection to the product's database, for reading what the replicas stored. */
    Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "20");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/bus", p);
    }

    /** Starts the server on its data directory and port, and waits until it accepts connections. */
    void start() {
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(binaries.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "-l", log.toString(),
                "-w", "-t", "120", "-o",
                "-p " + port + " -F -c listen_addresses=127.0.0.1 -c max_connections=200 -c timezone=UTC", "start"));
        int code = run(command);
        if (code != 0) {
            throw new IllegalStateException("pg_ctl start exited with " + code + ":\n" + tail());
        }
    }

    /** A fast shutdown: sessions are ended, a checkpoint is written. */
    void stopFast() {
        stop("INT");
    }

    /** An immediate shutdown: every process quits at once, as after a crash; the next start recovers from the WAL. */
    void stopImmediately() {
        stop("QUIT");
    }

    boolean running() {
        try {
            return ProcessHandle.of(postmasterPid(dataDirectory)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IllegalStateException gone) {
            return false;
        }
    }

    private void stop(String signal) {
        long pid = postmasterPid(dataDirectory);
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        int code = run(List.of("kill", "-s", signal, Long.toString(pid)));
        if (code != 0) {
            throw new IllegalStateException("kill -s " + signal + " " + pid + " exited with " + code);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (postmaster.isAlive()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the postmaster did not stop:\n" + tail());
            }
            sleep(20);
        }
    }

    @Override
    public void close() {
        if (running()) {
            stopFast();
        }
    }

    /** The end of the server's log, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static long postmasterPid(Path data) {
        try {
            return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("no postmaster.pid in " + data, e);
        }
    }

    private static boolean runningAsRoot() {
        return ProcessHandle.current().info().user().map("root"::equals).orElse(false);
    }

    private int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolveSibling("pg_ctl.log").toFile()))
                    .start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

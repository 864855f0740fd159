package fi.hg.bus.app.jar;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's nginx run in the foreground with the project's own {@code nginx.conf}, as compose runs
 * it: the file is copied unchanged next to a generated {@code bus-upstream.conf} (compose mounts
 * deploy/nginx-upstream-compose.conf there), and only its {@code listen 80;} becomes a loopback port.
 */
final class Nginx implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private Nginx(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * The nginx binary: {@code BUS_TEST_NGINX}, else {@code nginx} on PATH, else /usr/sbin/nginx.
     * Missing, the test fails on CI ({@code CI=true}: .ci/run installs it) and is skipped elsewhere.
     */
    static Path binary() {
        Optional<Path> found = Optional.ofNullable(System.getenv("BUS_TEST_NGINX")).filter(s -> !s.isBlank()).map(Path::of)
                .or(() -> {
                    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
                    dirs.add("/usr/sbin");
                    return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, "nginx")).filter(Files::isExecutable).findFirst();
                })
                .filter(Files::isExecutable);
        if (found.isPresent()) {
            return found.get();
        }
        String message = "nginx is not installed: this test runs the project's nginx.conf in front of bus serve replicas. "
                + "Install it with `apt-get install -y nginx-light` (or set BUS_TEST_NGINX to an nginx binary)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true: .ci/run installs it, so a missing nginx is a failure here)");
        }
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    /** The repository's nginx.conf, found from the jar's place (app/target/bus.jar). */
    static Path projectConfig(Path jar) {
        Path config = jar.toAbsolutePath().getParent().getParent().getParent().resolve("nginx.conf");
        if (!Files.isRegularFile(config)) {
            fail("the project's nginx.conf is not at " + config);
        }
        return config;
    }

    /** Starts nginx with the project's configuration in front of {@code upstreamServers} (lines of an upstream block). */
    static Nginx start(Path binary, Path projectConfig, Path dir, List<String> upstreamServers) throws Exception {
        Files.createDirectories(dir);
        String config = Files.readString(projectConfig, StandardCharsets.UTF_8);
        int listens = config.split("\n\\s*listen 80;", -1).length - 1;
        assertEquals(1, listens, "nginx.conf has one `listen 80;` for the test to point at a loopback port");
        StringBuilder upstream = new StringBuilder("upstream bus {\n");
        upstreamServers.forEach(s -> upstream.append("    ").append(s).append(";\n"));
        upstream.append("    keepalive 32;\n}\n");
        Files.writeString(dir.resolve("bus-upstream.conf"), upstream.toString());
        AssertionError last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Files.writeString(dir.resolve("nginx.conf"), config.replace("listen 80;", "listen 127.0.0.1:" + port + ";"));
            Path log = dir.resolve("nginx-" + attempt + ".log");
            Process p = new ProcessBuilder(binary.toString(), "-e", "stderr", "-c", dir.resolve("nginx.conf").toString(),
                    "-g", "daemon off;")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Nginx nginx = new Nginx(p, log, port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return nginx;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            nginx.close();
            last = new AssertionError("nginx did not start:\n" + nginx.log());
            if (!nginx.log().contains("Address already in use")) {
                throw last;
            }
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();   // SIGTERM: nginx's fast shutdown
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}

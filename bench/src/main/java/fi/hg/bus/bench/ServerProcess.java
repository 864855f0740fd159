package fi.hg.bus.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar bus.jar serve} in a process of its own, on a free loopback port. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ServerProcess start(Path java, Path jar, List<String> jvmOptions, Map<String, String> env, Path log)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; build it with ./mvnw -q -B -DskipTests package");
        }
        int port = freePort();
        // Started through a link of its own name, so that a broad "pkill -f bus.jar" run by someone
        // else on a shared machine does not end the server in the middle of a measurement.
        Path link = log.resolveSibling("bench-server.jar");
        Files.deleteIfExists(link);
        Files.createDirectories(log.getParent());
        Files.createSymbolicLink(link, jar.toAbsolutePath());
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", link.toString(), "serve", "--addr", "127.0.0.1:" + port));
        ProcessBuilder pb = new ProcessBuilder(command);
        // Nothing of the caller's Bus configuration leaks in: only what the benchmark sets.
        pb.environment().keySet().removeIf(k -> k.startsWith("BUS_"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        ServerProcess server = new ServerProcess(pb.start(), port, log);
        server.awaitReady(Duration.ofSeconds(60));
        return server;
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(uri("/readyz")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("the server was not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    /** Fails when the server is gone (killed from outside, or crashed): its figures would mean nothing. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the server exited with " + process.exitValue()
                    + (process.exitValue() == 143 ? " (SIGTERM from outside the benchmark)" : "") + "; see " + log);
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the server process has used so far. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

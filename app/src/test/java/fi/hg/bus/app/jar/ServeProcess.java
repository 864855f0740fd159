package fi.hg.bus.app.jar;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code java -jar bus.jar serve --addr 127.0.0.1:0} process for the jar tests: it takes any
 * free port and the test reads the port from its log, so no port is guessed. Stopping it sends
 * SIGTERM, as systemd, Docker and Kubernetes do.
 */
final class ServeProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("bus serve listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private ServeProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code bus serve} from {@code jar} with exactly {@code env} as its BUS_* settings and waits until it is ready. */
    static ServeProcess start(Path jar, Path work, String name, Map<String, String> env) throws Exception {
        return start(jar, work, name, env, 0);
    }

    /** As above on a given port (0: any free one). */
    static ServeProcess start(Path jar, Path work, String name, Map<String, String> env, int port) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx256m");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of("serve", "--addr", "127.0.0.1:" + port));
        Path log = work.resolve(name + ".log");
        ProcessBuilder b = new ProcessBuilder(command).directory(work.toFile());
        b.environment().keySet().removeIf(k -> k.startsWith("BUS_"));
        b.environment().put("HOME", work.resolve("home-" + name).toString());
        b.environment().putAll(env);
        b.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = b.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int listening = -1;
        while (listening < 0) {
            if (!process.isAlive()) {
                throw new AssertionError(name + ": bus serve exited with " + process.exitValue() + ":\n" + read(log));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError(name + ": bus serve did not start listening:\n" + read(log));
            }
            Matcher m = LISTENING.matcher(read(log));
            if (m.find()) {
                listening = Integer.parseInt(m.group(1));
            } else {
                Thread.sleep(100);
            }
        }
        ServeProcess serve = new ServeProcess(name, process, log, listening);
        serve.awaitReady(deadline);
        return serve;
    }

    private void awaitReady(long deadline) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + ": bus serve exited:\n" + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + ": bus serve did not become ready:\n" + log());
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    Process process() {
        return process;
    }

    /** SIGTERM: the graceful stop. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to end and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + ": bus serve did not stop within " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    String log() {
        return read(log);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}

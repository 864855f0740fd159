package fi.hg.bus.app.jar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.e2e.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code BUS_LOG_FORMAT} in the real process: with {@code json} every line {@code bus serve}
 * writes is one JSON object, and the lines written while answering a request name its
 * {@code X-Request-Id}; an unknown format stops the start with exit 2.
 */
class LogFormatJarTest {

    private static final String SECRET = "log-format-jar-test-hs256-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private Path jar() {
        String configured = System.getProperty("bus.jar");
        Assumptions.assumeTrue(configured != null, "runs in the integration-test phase on the built jar");
        return Path.of(configured);
    }

    private ProcessBuilder serve(Map<String, String> env, int port) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-jar", jar().toString(), "serve", "--addr", "127.0.0.1:" + port));
        ProcessBuilder b = new ProcessBuilder(command).directory(work.toFile());
        b.environment().keySet().removeIf(k -> k.startsWith("BUS_"));
        b.environment().put("HOME", work.resolve("home").toString());
        b.environment().putAll(env);
        return b;
    }

    @Test
    void json_logs_are_one_object_per_line_and_name_the_request() throws Exception {
        Path jar = jar();
        assertTrue(Files.isRegularFile(jar));
        DatabaseUrl database = TestDatabases.create();
        int port = freePort();
        Path log = work.resolve("serve.log");
        Process server = serve(Map.of(
                "BUS_DATABASE_URL", TestServer.postgresUrl(database),
                "BUS_AUTH_HS256_SECRET", SECRET,
                "BUS_AUTH_OTP_SENDER", "console",
                "BUS_DATABASE_POOL_SIZE", "3",
                "BUS_LOG_FORMAT", "json"), port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            String base = "http://127.0.0.1:" + port;
            awaitReady(http, base);
            String email = "jar-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            String requestId = "jar-test-" + UUID.randomUUID();
            String body = "{\"email\":\"" + email + "\"}";
            assertEquals(200, post(http, base + "/api/v1/auth/register", body, null).statusCode());
            HttpResponse<String> sent = post(http, base + "/api/v1/auth/otp/request", body, requestId);
            assertEquals(200, sent.statusCode(), sent.body());
            assertEquals(requestId, sent.headers().firstValue("X-Request-Id").orElseThrow());
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("bus_http_requests_total{method=\"POST\",route=\"/api/v1/auth/otp/request\",status=\"200\"} 1"),
                    metrics.body());

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            JsonNode codeLine = null;
            List<String> lines = List.of();
            while (codeLine == null && System.nanoTime() < deadline) {
                lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                for (String line : lines) {
                    JsonNode node = parse(line);
                    if (node.get("message").asText().startsWith("BUS_AUTH_OTP " + email + " ")) {
                        codeLine = node;
                    }
                }
                Thread.sleep(100);
            }
            assertTrue(codeLine != null, "the code was logged: " + lines);
            assertEquals(requestId, codeLine.get("request_id").asText());
            assertEquals("fi.hg.bus.otp", codeLine.get("logger").asText());
            assertEquals("INFO", codeLine.get("level").asText());
            assertTrue(lines.size() >= 2, "the start is logged too: " + lines);
            for (String line : lines) {
                Set<String> keys = new TreeSet<>();
                for (Iterator<String> it = parse(line).fieldNames(); it.hasNext(); ) {
                    keys.add(it.next());
                }
                keys.remove("exception");
                assertEquals(Set.of("level", "logger", "message", "request_id", "time"), keys, line);
            }
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            TestDatabases.drop(database);
        }
    }

    @Test
    void an_unknown_log_format_stops_the_start_with_exit_2() throws Exception {
        Path err = work.resolve("err.txt");
        Process p = serve(Map.of("BUS_LOG_FORMAT", "yaml", "BUS_DATA_DIR", work.resolve("data").toString()), 0)
                .redirectErrorStream(true).redirectOutput(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), Files.readString(err));
        assertTrue(Files.readString(err).contains("BUS_LOG_FORMAT must be text or json"), Files.readString(err));
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node == null || !node.isObject()) {
                throw new AssertionError("not a JSON object: " + line);
            }
            return node;
        } catch (java.io.IOException e) {
            throw new AssertionError("a log line that is not JSON: " + line, e);
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body, String requestId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null) {
            b.header("X-Request-Id", requestId);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitReady(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("bus serve did not become ready");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

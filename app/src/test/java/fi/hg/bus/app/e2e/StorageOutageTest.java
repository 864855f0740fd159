package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.persistence.store.EmbeddedStore;
import fi.hg.bus.app.e2e.TestServer.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static fi.hg.bus.app.e2e.TestServer.USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A configured database that cannot be reached (SPEC 1): the server keeps running, answers 503
 * {@code storage_unavailable} on readiness and every storage-backed route, and recovers by itself,
 * without a restart, when the database comes back.
 */
class StorageOutageTest {

    private static final String UNAVAILABLE = "usage storage is unavailable: ";
    private static final String RECORD = "{\"event_type\":\"usage_recorded\",\"event_id\":\"%s\"}";

    @Test
    void whenTheDatabaseStopsTheServerAnswers503AndRecoversWhenItIsBack(@TempDir Path dir) {
        Path data = dir.resolve("postgres");
        int port = freePort();
        EmbeddedStore database = EmbeddedStore.start(data, port);
        try (TestServer server = TestServer.start(env(port), null)) {
            assertEquals(200, server.get("/readyz", null).status());
            assertEquals("{\"accepted\":1,\"duplicates\":0}", server.record(RECORD.formatted("kept")).toString());

            database.close();
            database = null;
            assertUnavailableEverywhere(server);

            database = EmbeddedStore.start(data, port);
            awaitReady(server, Duration.ofSeconds(30));
            assertEquals(List.of("kept"), eventIds(server.everything()), "the earlier event is still there");
            assertEquals("{\"accepted\":0,\"duplicates\":1}", server.record(RECORD.formatted("kept")).toString(),
                    "and so is its key");
            assertEquals("{\"accepted\":1,\"duplicates\":0}", server.record(RECORD.formatted("after")).toString());
            assertEquals(List.of("kept", "after"), eventIds(server.everything()));
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void aServerWhoseDatabaseIsDownAtStartRunsUnavailableAndRecoversWhenItComesUp(@TempDir Path dir) {
        int port = freePort();
        EmbeddedStore database = null;
        try (TestServer server = TestServer.start(env(port), null)) {
            assertEquals(200, server.get("/healthz", null).status());
            assertUnavailableEverywhere(server);

            database = EmbeddedStore.start(dir.resolve("postgres"), port);
            awaitReady(server, Duration.ofSeconds(30));
            assertEquals("{\"accepted\":1,\"duplicates\":0}", server.record(RECORD.formatted("first")).toString(),
                    "the schema was made once the database answered");
            assertEquals(List.of("first"), eventIds(server.everything()));
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void aServerThatMayNotUseTheEmbeddedStoreAndHasNoUrlRunsUnavailable(@TempDir Path dir) {
        Map<String, String> env = Map.of(
                "BUS_STORE", "postgres",
                "BUS_DATA_DIR", dir.toString(),
                "BUS_AUTH_HS256_SECRET", TestServer.SECRET);
        try (TestServer server = TestServer.start(env, null)) {
            assertEquals(200, server.get("/healthz", null).status());
            assertUnavailableEverywhere(server);
            server.get(USAGE, null).assertError(503, "storage_unavailable");
        }
        assertFalse(dir.resolve("postgres").toFile().exists(), "no embedded database was made");
    }

    private static void assertUnavailableEverywhere(TestServer server) {
        List<Response> answers = new ArrayList<>();
        answers.add(server.get("/readyz", null));
        answers.add(server.get(USAGE, server.collector()));
        answers.add(server.post(USAGE, server.collector(), RECORD.formatted("while-down")));
        answers.add(server.delete(USAGE, server.collector()));
        for (Response r : answers) {
            String message = r.assertError(503, "storage_unavailable");
            assertTrue(message.startsWith(UNAVAILABLE) && message.length() > UNAVAILABLE.length(), message);
            assertFalse(message.contains("postgres:") || message.contains("jdbc") || message.contains("127.0.0.1"), message);
        }
        assertEquals(200, server.get("/healthz", null).status(), "the process still lives");
    }

    private static void awaitReady(TestServer server, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last;
        do {
            last = server.get("/readyz", null);
            if (last.status() == 200) {
                assertEquals("{\"ok\":true}", last.body());
                return;
            }
            last.assertError(503, "storage_unavailable");
            sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not ready within " + timeout + ": " + last.body());
    }

    private static Map<String, String> env(int port) {
        return Map.of(
                "BUS_DATABASE_URL", "postgres://postgres@127.0.0.1:" + port + "/bus?sslmode=disable",
                "BUS_AUTH_HS256_SECRET", TestServer.SECRET);
    }

    private static List<String> eventIds(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(i -> ids.add(i.path("event_id").asText(null)));
        return ids;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.e2e.TestServer.Response;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static fi.hg.bus.app.e2e.TestServer.USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The collector loop of seed 001: fix {@code before}, then read page 1, keep it, delete page 1
 * with the same selector, until the page is empty, while services keep recording newer usage. It
 * must lose nothing and repeat nothing, and must not touch what came after {@code before}.
 */
class CollectorLoopTest {

    private static final int OLD_EVENTS = 1_200;
    private static final int PAGE_SIZE = 50;

    @Test
    void theCollectorLoopCollectsEveryOldRecordExactlyOnceWhileNewerRecordsArrive() throws Exception {
        // services record through one replica, the collector works through another
        try (TestServer server = TestServer.start(); TestServer collectorSide = server.replica()) {
            Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Set<String> old = recordOldEvents(server, before);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger newerPosts = new AtomicInteger();
            Set<String> newer = ConcurrentHashMap.newKeySet();
            AtomicReference<Throwable> writerFailed = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    int n = 0;
                    while (!stop.get()) {
                        List<String> ids = List.of("new-" + n, "new-" + (n + 1), "new-" + (n + 2));
                        // just after before, a little later, and at receipt (which is later still)
                        String body = "{\"events\":["
                                + "{\"event_type\":\"usage_recorded\",\"event_id\":\"" + ids.get(0) + "\",\"occurred_at\":\""
                                + before.plus(1, ChronoUnit.MICROS) + "\"},"
                                + "{\"event_type\":\"usage_recorded\",\"event_id\":\"" + ids.get(1) + "\",\"occurred_at\":\""
                                + before.plusMillis(1 + n % 1000) + "\"},"
                                + "{\"event_type\":\"usage_recorded\",\"event_id\":\"" + ids.get(2) + "\"}]}";
                        JsonNode answer = server.record(body);
                        assertEquals("{\"accepted\":3,\"duplicates\":0}", answer.toString());
                        newer.addAll(ids);
                        newerPosts.incrementAndGet();
                        n += 3;
                    }
                } catch (Throwable t) {
                    writerFailed.set(t);
                }
            }, "e2e-usage-writer");
            writer.start();
            while (newerPosts.get() < 5 && writerFailed.get() == null) {
                Thread.sleep(5);
            }

            // the collector
            String token = server.token(TestServer.INTERNAL, "usage:read usage:delete");
            String selector = "?before=" + before + "&page=1&page_size=" + PAGE_SIZE;
            List<JsonNode> kept = new ArrayList<>();
            int rounds = 0;
            int postsAtStart = newerPosts.get();
            while (true) {
                Response got = collectorSide.get(USAGE + selector, token);
                assertEquals(200, got.status(), got.body());
                JsonNode page = got.json();
                assertEquals(before.toString(), page.get("before").asText());
                JsonNode items = page.get("items");
                if (items.isEmpty()) {
                    assertFalse(page.get("has_more").asBoolean());
                    break;
                }
                items.forEach(kept::add); // "persisted downstream"
                Response deleted = collectorSide.delete(USAGE + selector, token);
                assertEquals(200, deleted.status(), deleted.body());
                assertEquals(items.size(), deleted.json().get("deleted").asInt(),
                        "DELETE must remove exactly the page that GET returned");
                rounds++;
                assertTrue(rounds <= OLD_EVENTS / PAGE_SIZE + 1, "the loop does not end");
            }
            int postsDuringLoop = newerPosts.get() - postsAtStart;
            stop.set(true);
            writer.join(30_000);
            assertNull(writerFailed.get(), () -> "the writer failed: " + writerFailed.get());
            assertTrue(postsDuringLoop >= 1, "newer records must arrive while the collector runs (" + postsDuringLoop + ")");
            assertEquals(OLD_EVENTS / PAGE_SIZE, rounds);

            // every old record exactly once, and nothing newer
            Set<String> collected = new HashSet<>();
            for (JsonNode item : kept) {
                String id = item.get("event_id").asText();
                assertTrue(collected.add(id), "collected twice: " + id);
                assertFalse(Instant.parse(item.get("occurred_at").asText()).isAfter(before), "collected a newer record: " + item);
            }
            assertEquals(old, collected);

            // and every newer record is still in the feed, untouched
            JsonNode remaining = server.everything();
            Set<String> left = new HashSet<>();
            for (JsonNode item : remaining) {
                assertTrue(left.add(item.get("event_id").asText()));
            }
            assertEquals(newer, left);
            assertTrue(remaining.size() < 10_000, "the feed check must see the whole feed");
        }
    }

    /** Records at or before {@code before}: spread over an hour, with ties, some exactly at it. */
    private static Set<String> recordOldEvents(TestServer server, Instant before) {
        Set<String> ids = new HashSet<>();
        StringBuilder batch = new StringBuilder("{\"events\":[");
        for (int i = 0; i < OLD_EVENTS; i++) {
            Instant at = i % 10 == 0 ? before : before.minusSeconds((i * 7919L) % 3600).minusMillis(i % 3);
            String id = "old-" + i;
            ids.add(id);
            batch.append(i == 0 ? "" : ",")
                    .append("{\"event_type\":\"usage_recorded\",\"event_id\":\"").append(id)
                    .append("\",\"occurred_at\":\"").append(at).append("\",\"data\":{\"i\":").append(i).append("}}");
        }
        batch.append("]}");
        assertEquals("{\"accepted\":" + OLD_EVENTS + ",\"duplicates\":0}", server.record(batch.toString()).toString());
        return ids;
    }
}

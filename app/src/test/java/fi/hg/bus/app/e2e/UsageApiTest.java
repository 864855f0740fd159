package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.e2e.TestServer.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

import static fi.hg.bus.app.e2e.TestServer.FAR_FUTURE;
import static fi.hg.bus.app.e2e.TestServer.USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recording usage and reading the collector feed over HTTP (SPEC 3.1, 3.3; seed 001). */
class UsageApiTest {

    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void oneRecordIsAcceptedAndAnsweredWithAcceptedAndDuplicates() {
        Response r = server.post(USAGE, server.collector(), "{\"event_type\":\"usage_recorded\",\"event_id\":\"one\"}");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        assertEquals("{\"accepted\":1,\"duplicates\":0}", r.body());
        assertEquals(1, server.everything().size());
    }

    @Test
    void aBatchIsAcceptedWhole() {
        Response r = server.post(USAGE, server.collector(), """
                {"events":[
                  {"event_type":"usage_recorded","event_id":"b1","data":{"total_tokens":5}},
                  {"event_type":"container_run_finished","data":{"duration_ms":1500}},
                  {"event_type":"request_failed"}
                ]}""");
        assertEquals(200, r.status(), r.body());
        assertEquals("{\"accepted\":3,\"duplicates\":0}", r.body());
        JsonNode items = server.everything();
        assertEquals(3, items.size());
        assertEquals(List.of("usage_recorded", "container_run_finished", "request_failed"), texts(items, "event_type"));
    }

    @Test
    void aReplayedEventIdIsNeitherStoredNorCountedAgain() {
        String record = "{\"event_type\":\"usage_recorded\",\"event_id\":\"replayed\",\"data\":{\"total_tokens\":7}}";
        assertEquals("{\"accepted\":1,\"duplicates\":0}", server.record(record).toString());
        assertEquals("{\"accepted\":0,\"duplicates\":1}", server.record(record).toString());
        // the same key with other content is still the same event
        assertEquals("{\"accepted\":0,\"duplicates\":1}",
                server.record("{\"event_type\":\"request_failed\",\"event_id\":\"replayed\"}").toString());
        JsonNode items = server.everything();
        assertEquals(1, items.size());
        assertEquals("{\"total_tokens\":7}", items.get(0).get("data").toString());
    }

    @Test
    void aReplayedEventIdIsStillADuplicateAfterTheCollectorDeletedItsRecord() {
        String record = "{\"event_type\":\"usage_recorded\",\"event_id\":\"collected\",\"occurred_at\":\"2026-05-03T12:00:00Z\"}";
        server.record(record);
        String selector = "?before=2026-05-03T12:05:00Z&page=1&page_size=100";
        assertEquals(1, server.feed(selector).get("items").size());
        Response deleted = server.delete(USAGE + selector, server.collector());
        assertEquals("{\"deleted\":1}", deleted.body());
        assertEquals(0, server.everything().size());

        assertEquals("{\"accepted\":0,\"duplicates\":1}", server.record(record).toString());
        assertEquals(0, server.everything().size(), "the replay must not come back into the feed");
        // in a batch beside a new record too
        assertEquals("{\"accepted\":1,\"duplicates\":1}", server.record("""
                {"events":[{"event_type":"usage_recorded","event_id":"collected"},
                           {"event_type":"usage_recorded","event_id":"fresh"}]}""").toString());
        assertEquals(List.of("fresh"), texts(server.everything(), "event_id"));
    }

    @Test
    void aKeyRepeatedInsideOneBatchIsStoredOnceAsItsFirstOccurrence() {
        Response r = server.post(USAGE, server.collector(), """
                {"events":[
                  {"event_type":"usage_recorded","event_id":"k","data":{"n":1}},
                  {"event_type":"usage_recorded","event_id":"other"},
                  {"event_type":"usage_recorded","event_id":"k","data":{"n":2}},
                  {"event_type":"usage_recorded"},
                  {"event_type":"usage_recorded"}
                ]}""");
        assertEquals("{\"accepted\":4,\"duplicates\":1}", r.body());
        JsonNode items = server.everything();
        assertEquals(4, items.size(), "records without a key are never duplicates");
        assertEquals("k", items.get(0).get("event_id").asText());
        assertEquals("{\"n\":1}", items.get(0).get("data").toString());
        assertEquals("other", items.get(1).get("event_id").asText());
        assertEquals("{\"accepted\":0,\"duplicates\":2}", server.record("""
                {"events":[{"event_type":"usage_recorded","event_id":"k"},{"event_type":"usage_recorded","event_id":"k"}]}""")
                .toString());
    }

    @Test
    void aRecordWithoutOccurredAtOccursAtItsReceipt() {
        Instant before = Instant.now();
        server.record("{\"event_type\":\"runtime_ready\"}");
        Instant after = Instant.now();
        Instant occurred = Instant.parse(server.everything().get(0).get("occurred_at").asText());
        assertFalse(occurred.isBefore(before.minusMillis(1)), occurred + " before " + before);
        assertFalse(occurred.isAfter(after.plusMillis(1)), occurred + " after " + after);
    }

    @Test
    void getWithoutParametersReadsPageOneOfAThousandBeforeNow() {
        server.record("{\"event_type\":\"usage_recorded\",\"occurred_at\":\"2020-01-01T00:00:00Z\"}");
        Instant asked = Instant.now();
        Response r = server.get(USAGE, server.collector());
        assertEquals(200, r.status(), r.body());
        JsonNode page = r.json();
        assertEquals(List.of("items", "page", "page_size", "before", "has_more"), names(page));
        assertEquals(1, page.get("page").asLong());
        assertEquals(1000, page.get("page_size").asLong());
        assertFalse(page.get("has_more").asBoolean());
        assertEquals(1, page.get("items").size());
        String before = page.get("before").asText();
        assertTrue(RFC3339.matcher(before).matches(), before);
        Duration off = Duration.between(asked, Instant.parse(before)).abs();
        assertTrue(off.compareTo(Duration.ofSeconds(5)) < 0, "before " + before + " is not now (" + asked + ")");
    }

    @Test
    void aGivenBeforeIsEchoedInUtcAndOnlyRecordsAtOrBeforeItAreListed() {
        server.record("""
                {"events":[
                  {"event_type":"usage_recorded","event_id":"early","occurred_at":"2026-05-03T11:59:59.999999Z"},
                  {"event_type":"usage_recorded","event_id":"exact","occurred_at":"2026-05-03T14:00:00+02:00"},
                  {"event_type":"usage_recorded","event_id":"late","occurred_at":"2026-05-03T12:00:00.000001Z"}
                ]}""");
        JsonNode page = server.feed("?before=2026-05-03T14:00:00%2B02:00");
        assertEquals("2026-05-03T12:00:00Z", page.get("before").asText());
        assertEquals(List.of("early", "exact"), texts(page.get("items"), "event_id"));
        assertEquals("2026-05-03T12:00:00Z", page.get("items").get(1).get("occurred_at").asText());
        assertEquals("2026-05-03T11:59:59.999999Z", page.get("items").get(0).get("occurred_at").asText());
    }

    @Test
    void pageSizeIsCappedAtTenThousand() {
        StringBuilder batch = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 10_000; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"event_type\":\"usage_recorded\",\"occurred_at\":\"2026-01-01T00:00:00Z\"}");
        }
        batch.append("]}");
        assertEquals("{\"accepted\":10000,\"duplicates\":0}", server.record(batch.toString()).toString(),
                "a batch of exactly 10,000 records is allowed");
        server.record("{\"event_type\":\"usage_recorded\",\"occurred_at\":\"2026-01-01T00:00:01Z\"}");

        JsonNode page = server.feed("?page_size=20000");
        assertEquals(10_000, page.get("page_size").asLong());
        assertEquals(10_000, page.get("items").size());
        assertTrue(page.get("has_more").asBoolean());
        JsonNode second = server.feed("?page_size=99999999&page=2");
        assertEquals(10_000, second.get("page_size").asLong());
        assertEquals(1, second.get("items").size());
        assertEquals("2026-01-01T00:00:01Z", second.get("items").get(0).get("occurred_at").asText());
        assertFalse(second.get("has_more").asBoolean());
    }

    @Test
    void theFeedIsOrderedByOccurredAtThenId() {
        server.record("""
                {"events":[
                  {"event_type":"usage_recorded","event_id":"c1","occurred_at":"2026-05-03T12:00:03Z"},
                  {"event_type":"usage_recorded","event_id":"a1","occurred_at":"2026-05-03T12:00:01Z"},
                  {"event_type":"usage_recorded","event_id":"b1","occurred_at":"2026-05-03T12:00:02Z"},
                  {"event_type":"usage_recorded","event_id":"a2","occurred_at":"2026-05-03T12:00:01Z"}
                ]}""");
        server.record("""
                {"events":[
                  {"event_type":"usage_recorded","event_id":"b2","occurred_at":"2026-05-03T12:00:02Z"},
                  {"event_type":"usage_recorded","event_id":"z0","occurred_at":"2026-05-03T11:00:00Z"}
                ]}""");
        JsonNode items = server.everything();
        assertEquals(List.of("z0", "a1", "a2", "b1", "b2", "c1"), texts(items, "event_id"));
        for (int i = 1; i < items.size(); i++) {
            Instant previous = Instant.parse(items.get(i - 1).get("occurred_at").asText());
            Instant current = Instant.parse(items.get(i).get("occurred_at").asText());
            if (previous.equals(current)) {
                assertTrue(items.get(i - 1).get("id").asLong() < items.get(i).get("id").asLong(), "ties go by id");
            }
        }
        for (JsonNode item : items) {
            assertTrue(item.get("id").isIntegralNumber(), "id is an integer: " + item);
        }
    }

    @Test
    void hasMoreTellsWhetherLaterPagesHoldRecords() {
        for (int i = 0; i < 5; i++) {
            server.record("{\"event_type\":\"usage_recorded\",\"event_id\":\"e" + i + "\",\"occurred_at\":\"2026-05-03T12:00:0" + i + "Z\"}");
        }
        JsonNode p1 = server.feed("?page=1&page_size=2");
        JsonNode p2 = server.feed("?page=2&page_size=2");
        JsonNode p3 = server.feed("?page=3&page_size=2");
        JsonNode p4 = server.feed("?page=4&page_size=2");
        assertEquals(List.of("e0", "e1"), texts(p1.get("items"), "event_id"));
        assertEquals(List.of("e2", "e3"), texts(p2.get("items"), "event_id"));
        assertEquals(List.of("e4"), texts(p3.get("items"), "event_id"));
        assertEquals(0, p4.get("items").size());
        assertTrue(p1.get("has_more").asBoolean());
        assertTrue(p2.get("has_more").asBoolean());
        assertFalse(p3.get("has_more").asBoolean());
        assertFalse(p4.get("has_more").asBoolean());
        assertEquals(4, p4.get("page").asLong());
        // exactly full: no more
        assertFalse(server.feed("?page=1&page_size=5").get("has_more").asBoolean());
    }

    @Test
    void fieldsThatARecordDoesNotHaveAreOmittedFromItsItem() {
        server.record("{\"event_type\":\"client_aborted\",\"occurred_at\":\"2026-05-03T12:00:00Z\"}");
        server.record("{\"event_type\":\"client_aborted\",\"occurred_at\":\"2026-05-03T12:00:01Z\",\"event_id\":null,\"account_id\":null,\"data\":null}");
        server.record("{\"event_type\":\"client_aborted\",\"occurred_at\":\"2026-05-03T12:00:02Z\",\"event_id\":\"\"}");
        JsonNode items = server.everything();
        assertEquals(3, items.size());
        for (JsonNode item : items) {
            assertEquals(List.of("id", "occurred_at", "event_type"), names(item), item.toString());
        }
    }

    @Test
    void dataIsKeptAsTheRecordedJson() {
        server.record("""
                {"event_type":"usage_recorded","data":{"model":"m\\u00e4 \\"x\\"","big":123456789012345678901234567890,
                 "exact":1.50,"nested":{"list":[1,true,null,"s"]},"empty":{}}}""");
        String body = server.get(USAGE + "?before=" + FAR_FUTURE, server.collector()).body();
        // compared as text: a JSON reader in the test would turn 1.50 into 1.5
        assertTrue(body.contains("\"data\":{\"model\":\"mä \\\"x\\\"\",\"big\":123456789012345678901234567890,"
                + "\"exact\":1.50,\"nested\":{\"list\":[1,true,null,\"s\"]},\"empty\":{}}}"), body);
    }

    @Test
    void deleteRemovesExactlyWhatTheSameGetReturns() {
        for (int i = 0; i < 6; i++) {
            server.record("{\"event_type\":\"usage_recorded\",\"event_id\":\"d" + i + "\",\"occurred_at\":\"2026-05-03T12:00:0" + i + "Z\"}");
        }
        server.record("{\"event_type\":\"usage_recorded\",\"event_id\":\"after\",\"occurred_at\":\"2026-05-03T13:00:00Z\"}");
        String selector = "?before=2026-05-03T12:30:00Z&page=2&page_size=2";
        JsonNode page = server.feed(selector);
        assertEquals(List.of("d2", "d3"), texts(page.get("items"), "event_id"));
        Response deleted = server.delete(USAGE + selector, server.collector());
        assertEquals(200, deleted.status(), deleted.body());
        assertEquals("{\"deleted\":2}", deleted.body());
        assertEquals(List.of("d0", "d1", "d4", "d5", "after"), texts(server.everything(), "event_id"));

        Response nothing = server.delete(USAGE + "?before=2026-05-03T12:30:00Z&page=9&page_size=2", server.collector());
        assertEquals("{\"deleted\":0}", nothing.body());
        assertEquals(5, server.everything().size());
    }

    @Test
    void deleteWithoutParametersRemovesTheFirstThousandUpToNow() {
        server.record("{\"event_type\":\"usage_recorded\",\"event_id\":\"past\",\"occurred_at\":\"2020-01-01T00:00:00Z\"}");
        server.record("{\"event_type\":\"usage_recorded\",\"event_id\":\"future\",\"occurred_at\":\"2999-01-01T00:00:00Z\"}");
        Response deleted = server.delete(USAGE, server.collector());
        assertEquals("{\"deleted\":1}", deleted.body());
        assertEquals(List.of("future"), texts(server.everything(), "event_id"));
    }

    @Test
    void theSeedsExamplePageComesBackExactly() {
        server.record("""
                {"event_id":"usage-doc-check","occurred_at":"2026-05-03T12:00:00Z",\
                "account_id":"00000000-0000-4000-8000-000000000001","event_type":"usage_recorded","data":{"total_tokens":1}}""");
        Response r = server.get(USAGE + "?before=2026-05-03T12:05:00Z&page=1&page_size=100", server.collector());
        assertEquals(200, r.status(), r.body());
        long id = r.json().get("items").get(0).get("id").asLong();
        assertEquals("{\"items\":[{\"id\":" + id + ",\"event_id\":\"usage-doc-check\",\"occurred_at\":\"2026-05-03T12:00:00Z\","
                + "\"account_id\":\"00000000-0000-4000-8000-000000000001\",\"event_type\":\"usage_recorded\","
                + "\"data\":{\"total_tokens\":1}}],\"page\":1,\"page_size\":100,\"before\":\"2026-05-03T12:05:00Z\","
                + "\"has_more\":false}", r.body());

        Response empty = server.get(USAGE + "?before=2026-05-03T11:05:00Z&page=1&page_size=100", server.collector());
        assertEquals("{\"items\":[],\"page\":1,\"page_size\":100,\"before\":\"2026-05-03T11:05:00Z\",\"has_more\":false}",
                empty.body());
    }

    @Test
    void anUpperCaseAccountIdIsListedInCanonicalForm() {
        server.record("{\"event_type\":\"usage_recorded\",\"account_id\":\"ABCDEF01-2345-4678-89AB-CDEF01234567\"}");
        assertEquals("abcdef01-2345-4678-89ab-cdef01234567", server.everything().get(0).get("account_id").asText());
    }

    @Test
    void healthAndReadinessAnswerOk() {
        Response health = server.get("/healthz", null);
        assertEquals(200, health.status());
        assertEquals("{\"ok\":true}", health.body());
        Response ready = server.get("/readyz", null);
        assertEquals(200, ready.status());
        assertEquals("{\"ok\":true}", ready.body());
    }

    private static List<String> texts(JsonNode items, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : items) {
            out.add(item.path(field).asText(null));
        }
        return out;
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}

package fi.hg.bus.adapters.persistence.usage;

import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.domain.usage.FeedPage;
import fi.hg.bus.domain.usage.FeedSelector;
import fi.hg.bus.domain.usage.StoredUsageEvent;
import fi.hg.bus.domain.usage.UsageData;
import fi.hg.bus.domain.usage.UsageEventType;
import fi.hg.bus.domain.usage.UsageRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The usage ledger against a real PostgreSQL database, made fresh for this class. */
class JooqUsageLedgerTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant SEEN = Instant.parse("2026-03-01T12:05:00Z");
    private static final UUID ACCOUNT = UUID.fromString("7b0e3c2e-1d6f-4f0e-9d55-0b6c7b0b5a11");

    private static DatabaseUrl url;
    private static PostgresStore store;
    private static JooqUsageLedger ledger;

    @BeforeAll
    static void openStore() {
        url = TestDatabases.create();
        store = PostgresStore.open(url, PostgresStore.Options.defaults());
        assertTrue(store.awaitReady(Duration.ofSeconds(30)), "the schema was not migrated in time");
        ledger = new JooqUsageLedger(store);
    }

    @AfterAll
    static void closeStore() {
        if (store != null) {
            store.close();
        }
        if (url != null) {
            TestDatabases.drop(url);
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection c = TestDatabases.connect(url); var s = c.createStatement()) {
            s.execute("truncate usage_events, usage_event_keys");
            s.execute("update usage_feed_watermark set at = '-infinity'");
        }
    }

    // ---- fixtures -------------------------------------------------------------------------------

    private static UsageRecord record(String eventId, Instant occurredAt) {
        return new UsageRecord(eventId, UsageEventType.USAGE_RECORDED, null, occurredAt, null);
    }

    private static UsageRecord record(String eventId) {
        return record(eventId, T0);
    }

    private static FeedSelector all() {
        return new FeedSelector(T0.plus(Duration.ofDays(365)), 1, FeedSelector.MAX_PAGE_SIZE);
    }

    private static List<StoredUsageEvent> everything() {
        FeedPage page = ledger.page(all());
        assertFalse(page.hasMore());
        return page.items();
    }

    private static List<String> eventIds(List<StoredUsageEvent> items) {
        return items.stream().map(StoredUsageEvent::eventId).toList();
    }

    private static List<Long> ids(List<StoredUsageEvent> items) {
        return items.stream().map(StoredUsageEvent::id).toList();
    }

    // ---- append ---------------------------------------------------------------------------------

    @Test
    void append_stores_every_new_record_and_returns_all_positions() {
        List<Integer> stored = ledger.append(List.of(record("a"), record(null), record("b")), SEEN);

        assertEquals(List.of(0, 1, 2), stored);
        assertEquals(java.util.Arrays.asList("a", null, "b"), eventIds(everything()));
    }

    @Test
    void a_stored_record_reads_back_with_every_field() {
        Instant occurred = Instant.parse("2026-03-01T11:59:58.123456Z");
        ledger.append(List.of(new UsageRecord("req-1", UsageEventType.CONTAINER_RUN_FINISHED, ACCOUNT, occurred,
                UsageData.ofJson("{\"duration_ms\":1500}"))), SEEN);

        StoredUsageEvent e = everything().getFirst();

        assertTrue(e.id() > 0);
        assertEquals("req-1", e.eventId());
        assertEquals(occurred, e.occurredAt());
        assertEquals(ACCOUNT, e.accountId());
        assertEquals(UsageEventType.CONTAINER_RUN_FINISHED, e.type());
        assertEquals("{\"duration_ms\":1500}", e.dataJson());
    }

    @Test
    void a_record_without_account_or_data_reads_back_without_them() {
        ledger.append(List.of(record(null)), SEEN);

        StoredUsageEvent e = everything().getFirst();

        assertNull(e.eventId());
        assertNull(e.accountId());
        assertNull(e.dataJson());
    }

    @Test
    void every_event_type_is_stored_and_read_back() {
        List<UsageRecord> records = new ArrayList<>();
        for (UsageEventType type : UsageEventType.values()) {
            records.add(new UsageRecord(null, type, null, T0, null));
        }

        ledger.append(records, SEEN);

        assertEquals(List.of(UsageEventType.values()), everything().stream().map(StoredUsageEvent::type).toList());
    }

    @Test
    void a_key_seen_before_is_not_stored_again() {
        assertEquals(List.of(0), ledger.append(List.of(record("a")), SEEN));

        assertEquals(List.of(), ledger.append(List.of(record("a")), SEEN.plusSeconds(1)));
        assertEquals(List.of("a"), eventIds(everything()));
    }

    @Test
    void only_the_records_with_new_keys_are_stored_and_their_positions_returned() {
        ledger.append(List.of(record("a"), record("c")), SEEN);

        List<Integer> stored = ledger.append(List.of(record("x"), record("a"), record(null), record("c"), record("b")), SEEN);

        assertEquals(List.of(0, 2, 4), stored);
        assertEquals(java.util.Arrays.asList("a", "c", "x", null, "b"), eventIds(everything()));
    }

    @Test
    void a_repeated_key_keeps_the_first_record_unchanged() {
        ledger.append(List.of(new UsageRecord("a", UsageEventType.USAGE_RECORDED, null, T0, UsageData.ofJson("{\"n\":1}"))), SEEN);
        ledger.append(List.of(new UsageRecord("a", UsageEventType.REQUEST_FAILED, ACCOUNT, T0.minusSeconds(5), UsageData.ofJson("{\"n\":2}"))), SEEN);

        StoredUsageEvent only = everything().getFirst();

        assertEquals(1, everything().size());
        assertEquals("{\"n\":1}", only.dataJson());
        assertEquals(UsageEventType.USAGE_RECORDED, only.type());
    }

    @Test
    void records_without_keys_are_always_stored() {
        ledger.append(List.of(record(null)), SEEN);
        ledger.append(List.of(record(null), record(null)), SEEN);

        assertEquals(3, everything().size());
    }

    @Test
    void a_key_stays_known_after_its_record_was_deleted_by_a_collector() {
        ledger.append(List.of(record("a")), SEEN);
        assertEquals(1, ledger.deletePage(all()));
        assertEquals(List.of(), everything());

        assertEquals(List.of(), ledger.append(List.of(record("a")), SEEN.plusSeconds(60)));
        assertEquals(List.of(), everything());
    }

    @Test
    void a_forgotten_key_can_be_stored_again() {
        ledger.append(List.of(record("a")), SEEN);
        ledger.deletePage(all());

        assertEquals(1, ledger.forgetEventIdsSeenBefore(SEEN.plusSeconds(1), 100));

        assertEquals(List.of(0), ledger.append(List.of(record("a")), SEEN.plusSeconds(2)));
        assertEquals(List.of("a"), eventIds(everything()));
    }

    @Test
    void keys_first_seen_at_or_after_the_cutoff_are_kept() {
        ledger.append(List.of(record("old")), SEEN.minusSeconds(1));
        ledger.append(List.of(record("exact")), SEEN);
        ledger.append(List.of(record("new")), SEEN.plusSeconds(1));

        assertEquals(1, ledger.forgetEventIdsSeenBefore(SEEN, 100));

        assertEquals(List.of(0), ledger.append(List.of(record("old")), SEEN.plusSeconds(10)));
        assertEquals(List.of(), ledger.append(List.of(record("exact"), record("new")), SEEN.plusSeconds(10)));
    }

    @Test
    void a_key_seen_again_keeps_its_first_seen_time() {
        ledger.append(List.of(record("a")), SEEN);
        ledger.append(List.of(record("a")), SEEN.plusSeconds(3600));

        assertEquals(1, ledger.forgetEventIdsSeenBefore(SEEN.plusSeconds(1), 100));
    }

    @Test
    void forgetting_stops_at_the_limit() {
        ledger.append(List.of(record("a"), record("b"), record("c")), SEEN);

        assertEquals(2, ledger.forgetEventIdsSeenBefore(SEEN.plusSeconds(1), 2));
        assertEquals(1, ledger.forgetEventIdsSeenBefore(SEEN.plusSeconds(1), 2));
        assertEquals(0, ledger.forgetEventIdsSeenBefore(SEEN.plusSeconds(1), 2));
    }

    @Test
    void forgetting_keys_leaves_the_records_alone() {
        ledger.append(List.of(record("a"), record("b")), SEEN);

        ledger.forgetEventIdsSeenBefore(SEEN.plusSeconds(1), 100);

        assertEquals(List.of("a", "b"), eventIds(everything()));
    }

    @Test
    void a_transaction_that_fails_keeps_neither_records_nor_keys() {
        assertThrows(IllegalStateException.class, () -> store.inTransaction(() -> {
            ledger.append(List.of(record("a"), record(null)), SEEN);
            throw new IllegalStateException("the use case failed after storing");
        }));

        assertEquals(List.of(), everything());
        assertEquals(List.of(0), ledger.append(List.of(record("a")), SEEN));
    }

    @Test
    void the_same_key_appended_from_many_threads_at_once_is_stored_exactly_once() throws Exception {
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 5; round++) {
                String key = "race-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<Integer>>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Instant occurred = T0.plusSeconds(t);
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.inTransaction(() -> ledger.append(List.of(record(key, occurred)), SEEN));
                    }));
                }
                start.countDown();
                int storedBy = 0;
                for (Future<List<Integer>> result : results) {
                    List<Integer> positions = result.get(60, TimeUnit.SECONDS);
                    if (positions.equals(List.of(0))) {
                        storedBy++;
                    } else {
                        assertEquals(List.of(), positions);
                    }
                }
                assertEquals(1, storedBy, "threads that stored " + key);
                assertEquals(1, everything().stream().filter(e -> key.equals(e.eventId())).count(), "records of " + key);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void overlapping_batches_from_many_threads_store_each_key_exactly_once() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 5;
                results.add(pool.submit(() -> {
                    List<UsageRecord> batch = new ArrayList<>();
                    for (int k = 0; k < 20; k++) {
                        batch.add(record("k" + (offset + k)));
                    }
                    start.await();
                    return store.inTransaction(() -> ledger.append(batch, SEEN));
                }));
            }
            start.countDown();
            int storedInAll = 0;
            for (Future<List<Integer>> result : results) {
                storedInAll += result.get(60, TimeUnit.SECONDS).size();
            }
            List<StoredUsageEvent> stored = everything();
            Set<String> distinct = new HashSet<>(eventIds(stored));
            int expectedKeys = (threads - 1) * 5 + 20;
            assertEquals(expectedKeys, stored.size());
            assertEquals(expectedKeys, distinct.size());
            assertEquals(expectedKeys, storedInAll);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- the feed -------------------------------------------------------------------------------

    @Test
    void the_feed_is_ordered_by_occurrence_time_then_by_id() {
        ledger.append(List.of(record("t2-first", T0.plusSeconds(2)), record("t1", T0.plusSeconds(1))), SEEN);
        ledger.append(List.of(record("t2-second", T0.plusSeconds(2)), record("t0", T0)), SEEN);

        List<StoredUsageEvent> items = everything();

        assertEquals(List.of("t0", "t1", "t2-first", "t2-second"), eventIds(items));
        assertTrue(items.get(2).id() < items.get(3).id());
    }

    @Test
    void records_of_the_same_instant_come_in_the_order_they_were_stored() {
        List<UsageRecord> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(record("same-" + i));
        }
        ledger.append(batch, SEEN);

        List<StoredUsageEvent> items = everything();

        assertEquals(batch.stream().map(UsageRecord::eventId).toList(), eventIds(items));
        List<Long> ids = ids(items);
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1) < ids.get(i));
        }
    }

    @Test
    void pages_cut_the_selection_at_their_offsets_and_say_whether_more_follow() {
        List<UsageRecord> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(record("r" + i, T0.plusSeconds(i)));
        }
        ledger.append(batch, SEEN);
        Instant before = T0.plusSeconds(60);

        FeedPage p1 = ledger.page(new FeedSelector(before, 1, 2));
        FeedPage p2 = ledger.page(new FeedSelector(before, 2, 2));
        FeedPage p3 = ledger.page(new FeedSelector(before, 3, 2));
        FeedPage p4 = ledger.page(new FeedSelector(before, 4, 2));

        assertEquals(List.of("r0", "r1"), eventIds(p1.items()));
        assertTrue(p1.hasMore());
        assertEquals(List.of("r2", "r3"), eventIds(p2.items()));
        assertTrue(p2.hasMore());
        assertEquals(List.of("r4"), eventIds(p3.items()));
        assertFalse(p3.hasMore());
        assertEquals(List.of(), p4.items());
        assertFalse(p4.hasMore());
        assertEquals(new FeedSelector(before, 2, 2), p2.selector());
    }

    @Test
    void a_page_that_ends_exactly_at_the_last_record_has_no_more() {
        ledger.append(List.of(record("a"), record("b"), record("c"), record("d")), SEEN);

        FeedPage page = ledger.page(new FeedSelector(T0, 2, 2));

        assertEquals(List.of("c", "d"), eventIds(page.items()));
        assertFalse(page.hasMore());
    }

    @Test
    void an_empty_feed_is_an_empty_page() {
        FeedPage page = ledger.page(new FeedSelector(T0, 1, 10));

        assertEquals(List.of(), page.items());
        assertFalse(page.hasMore());
    }

    @Test
    void before_is_inclusive_to_the_microsecond() {
        Instant before = Instant.parse("2026-03-01T12:00:00.000010Z");
        ledger.append(List.of(
                record("earlier", before.minusNanos(1000)),
                record("exactly", before),
                record("later", before.plusNanos(1000))), SEEN);

        FeedPage page = ledger.page(new FeedSelector(before, 1, 10));

        assertEquals(List.of("earlier", "exactly"), eventIds(page.items()));
        assertFalse(page.hasMore());
    }

    @Test
    void records_after_before_do_not_count_towards_has_more() {
        ledger.append(List.of(record("in", T0), record("out", T0.plusSeconds(1))), SEEN);

        FeedPage page = ledger.page(new FeedSelector(T0, 1, 1));

        assertEquals(List.of("in"), eventIds(page.items()));
        assertFalse(page.hasMore());
    }

    @Test
    void delete_page_removes_exactly_the_records_page_returns() {
        List<UsageRecord> batch = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            batch.add(record("r" + i, T0.plusSeconds(i % 3)));
        }
        ledger.append(batch, SEEN);
        batch.clear();
        batch.add(record("after-before", T0.plusSeconds(30)));
        ledger.append(batch, SEEN);
        List<StoredUsageEvent> before = everything();
        FeedSelector selector = new FeedSelector(T0.plusSeconds(10), 2, 3);
        List<Long> paged = ids(ledger.page(selector).items());

        int deleted = ledger.deletePage(selector);

        assertEquals(3, paged.size());
        assertEquals(3, deleted);
        List<Long> expectedLeft = new ArrayList<>(ids(before));
        expectedLeft.removeAll(paged);
        assertEquals(expectedLeft, ids(everything()));
    }

    @Test
    void delete_page_of_a_partial_last_page_removes_only_what_is_there() {
        ledger.append(List.of(record("a"), record("b"), record("c")), SEEN);

        assertEquals(1, ledger.deletePage(new FeedSelector(T0, 2, 2)));
        assertEquals(List.of("a", "b"), eventIds(everything()));
        assertEquals(0, ledger.deletePage(new FeedSelector(T0, 5, 2)));
    }

    /** Runs the collector loop of SPEC 3.3 with pages of 4, letting {@code arrive} store records between each GET and DELETE. */
    private static List<String> collect(Instant before, java.util.function.IntConsumer arrive) {
        List<String> collected = new ArrayList<>();
        for (int round = 0; ; round++) {
            FeedSelector first = new FeedSelector(before, 1, 4);
            FeedPage page = ledger.page(first);
            if (page.items().isEmpty()) {
                return collected;
            }
            collected.addAll(eventIds(page.items()));
            arrive.accept(round);
            ledger.deletePage(first);
        }
    }

    @Test
    void the_collector_loop_loses_and_repeats_nothing_while_records_after_before_arrive() {
        for (int i = 0; i < 25; i++) {
            ledger.append(List.of(record("old-" + i, T0.plusMillis(i))), SEEN);
        }
        Instant before = T0.plusSeconds(1);
        int[] arrived = {0};

        List<String> collected = collect(before, round -> {
            ledger.append(List.of(record("new-" + round, before.plusNanos(1000)), record(null, before.plusSeconds(5))), SEEN);
            arrived[0]++;
        });

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add("old-" + i);
        }
        assertEquals(expected, collected);
        assertEquals(2 * arrived[0], everything().size(), "only the records after before are left");
    }

    @Test
    void a_read_of_the_feed_waits_for_a_recording_in_flight_and_then_shows_its_record() throws Exception {
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> recording = pool.submit(() -> store.inTransaction(() -> {
                BitSet stamped = new BitSet();
                stamped.set(0);
                ledger.append(List.of(record("in-flight", T0)), stamped, SEEN);
                appended.countDown();
                await(commit);
                return null;
            }));
            assertTrue(appended.await(10, TimeUnit.SECONDS));
            Future<FeedPage> read = pool.submit(() -> ledger.page(new FeedSelector(T0.plusSeconds(1), 1, 100)));

            Thread.sleep(300);
            assertFalse(read.isDone(), "the read did not wait for the recording in flight");
            commit.countDown();
            recording.get(10, TimeUnit.SECONDS);

            assertEquals(List.of("in-flight"), eventIds(read.get(10, TimeUnit.SECONDS).items()));
        } finally {
            commit.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void a_record_stamped_at_receipt_after_a_drain_began_falls_after_its_before() {
        Instant before = T0.plusSeconds(1);
        ledger.append(List.of(record("early", T0)), SEEN);
        assertEquals(List.of("early"), eventIds(ledger.page(new FeedSelector(before, 1, 100)).items()));

        BitSet stamped = new BitSet();
        stamped.set(0);
        ledger.append(List.of(record("received-late", T0)), stamped, SEEN);

        assertEquals(List.of("early"), eventIds(ledger.page(new FeedSelector(before, 1, 100)).items()),
                "the drain's selection did not change");
        StoredUsageEvent late = everything().getLast();
        assertEquals("received-late", late.eventId());
        assertTrue(late.occurredAt().isAfter(before), "stamped after the watermark: " + late.occurredAt());
    }

    @Test
    void a_record_sent_with_an_earlier_occurred_at_during_a_drain_is_selected_by_its_own_time() {
        // The documented limit of offset pages: a sender's own occurred_at is kept as given, so a
        // backdated record can join a selection that a collector is draining (see docs/usage-api.md).
        Instant before = T0.plusSeconds(1);
        ledger.append(List.of(record("first", T0)), SEEN);
        assertEquals(List.of("first"), eventIds(ledger.page(new FeedSelector(before, 1, 100)).items()));

        ledger.append(List.of(record("backdated", T0.minusSeconds(1))), SEEN);

        assertEquals(List.of("backdated", "first"), eventIds(ledger.page(new FeedSelector(before, 1, 100)).items()));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- data -----------------------------------------------------------------------------------

    @Test
    void data_json_reads_back_exactly_as_it_was_given() {
        String data = "{\"total_tokens\":12345678901234567890,\"model\":\"gpt-ä\\\"quoted\\\"\","
                + "\"nested\":{\"list\":[1,2.50,true,null,\"x\"],\"empty\":{}},\"emoji\":\"\uD83D\uDE80\","
                + "\"escaped\":\"\\u0041\\n\\t\",\"float\":1.0E+2}";
        ledger.append(List.of(new UsageRecord("d", UsageEventType.USAGE_RECORDED, null, T0, UsageData.ofJson(data))), SEEN);

        assertEquals(data, everything().getFirst().dataJson());
    }

    @Test
    void an_empty_data_object_reads_back_as_an_empty_object() {
        ledger.append(List.of(new UsageRecord("d", UsageEventType.USAGE_RECORDED, null, T0, UsageData.ofJson("{}"))), SEEN);

        assertEquals("{}", everything().getFirst().dataJson());
    }

    @Test
    void event_ids_are_stored_exactly_including_unusual_characters() {
        String longest = "k".repeat(UsageRecord.MAX_EVENT_ID_LENGTH);
        List<String> keys = List.of(longest, " spaced ", "quote'\"", "ümlaut-\uD83D\uDE80", "{a,b}", "NULL");
        List<UsageRecord> batch = keys.stream().map(JooqUsageLedgerTest::record).toList();

        assertEquals(List.of(0, 1, 2, 3, 4, 5), ledger.append(batch, SEEN));

        assertEquals(keys, eventIds(everything()));
        assertEquals(List.of(), ledger.append(batch, SEEN));
    }

    @Test
    void occurrence_times_keep_their_microseconds() {
        Instant t = Instant.parse("2026-03-01T12:00:00.000001Z");
        ledger.append(List.of(record("us", t)), SEEN);

        assertEquals(t, everything().getFirst().occurredAt());
    }

    @Test
    void occurrence_times_far_in_the_past_and_future_are_kept() {
        Instant early = Instant.parse("0001-01-01T00:00:00Z");
        Instant late = Instant.parse("9999-12-31T23:59:59.999999Z");
        ledger.append(List.of(record("early", early), record("late", late)), SEEN);

        List<StoredUsageEvent> items = ledger.page(new FeedSelector(late, 1, 10)).items();

        assertEquals(List.of(early, late), items.stream().map(StoredUsageEvent::occurredAt).toList());
    }
}

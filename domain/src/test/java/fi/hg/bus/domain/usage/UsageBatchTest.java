package fi.hg.bus.domain.usage;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UsageBatchTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private static UsageRecord record(String eventId, String data) {
        return new UsageRecord(eventId, UsageEventType.USAGE_RECORDED, null, T0, UsageData.ofJson(data));
    }

    @Test
    void a_repeated_event_id_is_folded_into_its_first_occurrence() {
        UsageRecord first = record("k1", "{\"n\":1}");
        UsageRecord repeat = record("k1", "{\"n\":2}");

        UsageBatch batch = UsageBatch.of(List.of(first, repeat));

        assertEquals(List.of(first), batch.distinctRecords());
        assertSame(first, batch.distinctRecords().getFirst());
        assertEquals(1, batch.repeatedInBatch());
        assertEquals(2, batch.size());
    }

    @Test
    void every_repeat_of_a_key_is_counted() {
        UsageBatch batch = UsageBatch.of(List.of(
                record("a", null), record("a", null), record("b", null), record("a", null), record("b", null)));

        assertEquals(List.of("a", "b"), batch.distinctRecords().stream().map(UsageRecord::eventId).toList());
        assertEquals(3, batch.repeatedInBatch());
        assertEquals(5, batch.size());
    }

    @Test
    void records_without_a_key_are_never_folded_even_when_identical() {
        UsageRecord keyless = record(null, "{\"same\":true}");
        UsageRecord alsoKeyless = record("", "{\"same\":true}");

        UsageBatch batch = UsageBatch.of(List.of(keyless, keyless, alsoKeyless));

        assertEquals(3, batch.distinctRecords().size());
        assertEquals(0, batch.repeatedInBatch());
        assertEquals(3, batch.size());
    }

    @Test
    void request_order_is_kept_with_keyed_and_keyless_records_mixed() {
        UsageRecord a = record("a", "1");
        UsageRecord none1 = record(null, "2");
        UsageRecord b = record("b", "3");
        UsageRecord aAgain = record("a", "4");
        UsageRecord none2 = record(null, "5");
        UsageRecord c = record("c", "6");

        UsageBatch batch = UsageBatch.of(List.of(a, none1, b, aAgain, none2, c));

        assertEquals(List.of(a, none1, b, none2, c), batch.distinctRecords());
        assertEquals(1, batch.repeatedInBatch());
    }

    @Test
    void an_empty_request_makes_an_empty_batch() {
        UsageBatch batch = UsageBatch.of(List.of());

        assertEquals(List.of(), batch.distinctRecords());
        assertEquals(0, batch.repeatedInBatch());
        assertEquals(0, batch.size());
    }

    @Test
    void ten_thousand_records_are_accepted() {
        List<UsageRecord> records = new ArrayList<>(Collections.nCopies(UsageBatch.MAX_RECORDS, record(null, null)));

        UsageBatch batch = UsageBatch.of(records);

        assertEquals(10_000, batch.size());
        assertEquals(10_000, batch.distinctRecords().size());
    }

    @Test
    void more_than_ten_thousand_records_are_refused() {
        List<UsageRecord> records = Collections.nCopies(UsageBatch.MAX_RECORDS + 1, record(null, null));

        assertThrows(IllegalArgumentException.class, () -> UsageBatch.of(records));
    }

    @Test
    void more_than_ten_thousand_records_are_refused_even_when_they_fold_to_fewer() {
        List<UsageRecord> records = Collections.nCopies(UsageBatch.MAX_RECORDS + 1, record("same", null));

        assertThrows(IllegalArgumentException.class, () -> UsageBatch.of(records));
    }

    @Test
    void the_distinct_records_cannot_be_changed() {
        UsageBatch batch = UsageBatch.of(new ArrayList<>(List.of(record("a", null))));

        assertThrows(UnsupportedOperationException.class, () -> batch.distinctRecords().add(record("b", null)));
    }

    @Test
    void later_changes_to_the_given_list_do_not_reach_the_batch() {
        List<UsageRecord> records = new ArrayList<>(List.of(record("a", null)));
        UsageBatch batch = UsageBatch.of(records);

        records.add(record("b", null));

        assertEquals(1, batch.distinctRecords().size());
    }
}

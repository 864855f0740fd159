package fi.hg.bus.domain.usage;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageRecordTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private static UsageRecord withEventId(String eventId) {
        return new UsageRecord(eventId, UsageEventType.REQUEST_STARTED, null, T0, null);
    }

    @Test
    void an_empty_event_id_means_the_record_has_none() {
        UsageRecord record = withEventId("");

        assertNull(record.eventId());
        assertFalse(record.hasEventId());
    }

    @Test
    void a_null_event_id_means_the_record_has_none() {
        assertFalse(withEventId(null).hasEventId());
    }

    @Test
    void a_given_event_id_is_kept_as_it_is() {
        UsageRecord record = withEventId(" req-1 ");

        assertEquals(" req-1 ", record.eventId());
        assertTrue(record.hasEventId());
    }

    @Test
    void an_event_id_of_exactly_200_characters_is_accepted() {
        String key = "k".repeat(200);

        assertEquals(key, withEventId(key).eventId());
    }

    @Test
    void an_event_id_longer_than_200_characters_is_refused() {
        String key = "k".repeat(201);

        var e = assertThrows(IllegalArgumentException.class, () -> withEventId(key));
        assertTrue(e.getMessage().contains("200"), e.getMessage());
    }

    @Test
    void an_event_id_with_a_nul_character_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> withEventId("abc\0def"));
        assertThrows(IllegalArgumentException.class, () -> withEventId("\0"));
    }

    @Test
    void check_event_id_applies_the_same_rules_on_its_own() {
        assertDoesNotThrow(() -> UsageRecord.checkEventId("x".repeat(200)));
        assertThrows(IllegalArgumentException.class, () -> UsageRecord.checkEventId("x".repeat(201)));
        assertThrows(IllegalArgumentException.class, () -> UsageRecord.checkEventId("a\0"));
    }

    @Test
    void occurred_at_is_truncated_to_microseconds() {
        Instant nanos = Instant.parse("2026-03-01T12:00:00.123456789Z");

        UsageRecord record = new UsageRecord(null, UsageEventType.USAGE_RECORDED, null, nanos, null);

        assertEquals(Instant.parse("2026-03-01T12:00:00.123456Z"), record.occurredAt());
    }

    @Test
    void occurred_at_before_1970_is_truncated_towards_the_past() {
        Instant nanos = Instant.parse("1969-12-31T23:59:59.999999999Z");

        UsageRecord record = new UsageRecord(null, UsageEventType.USAGE_RECORDED, null, nanos, null);

        assertEquals(Instant.parse("1969-12-31T23:59:59.999999Z"), record.occurredAt());
    }

    @Test
    void occurred_at_already_in_microseconds_is_unchanged() {
        Instant micros = Instant.parse("2026-03-01T12:00:00.000001Z");

        assertEquals(micros, new UsageRecord(null, UsageEventType.USAGE_RECORDED, null, micros, null).occurredAt());
    }

    @Test
    void type_and_occurred_at_are_required() {
        assertThrows(NullPointerException.class, () -> new UsageRecord("k", null, null, T0, null));
        assertThrows(NullPointerException.class,
                () -> new UsageRecord("k", UsageEventType.USAGE_RECORDED, null, null, null));
    }

    @Test
    void account_and_data_are_kept() {
        UUID account = UUID.fromString("7b0e3c2e-1d6f-4f0e-9d55-0b6c7b0b5a11");

        UsageRecord record = new UsageRecord("k", UsageEventType.USAGE_RECORDED, account, T0, UsageData.ofJson("{\"total_tokens\":5}"));

        assertEquals(account, record.accountId());
        assertEquals("{\"total_tokens\":5}", record.dataJson());
    }
}

package fi.hg.bus.domain.quota;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.Random;

import static fi.hg.bus.domain.quota.QuotaWindow.DAY;
import static fi.hg.bus.domain.quota.QuotaWindow.HOUR;
import static fi.hg.bus.domain.quota.QuotaWindow.MINUTE;
import static fi.hg.bus.domain.quota.QuotaWindow.MONTH;
import static fi.hg.bus.domain.quota.QuotaWindow.TOTAL;
import static fi.hg.bus.domain.quota.QuotaWindow.WEEK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotaWindowTest {

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    private static void assertWindow(QuotaWindow window, String now, String start, String resetsAt) {
        assertEquals(at(start), window.start(at(now)), window + " start at " + now);
        assertEquals(Optional.of(at(resetsAt)), window.resetsAt(at(now)), window + " reset at " + now);
    }

    @Test
    void the_last_millisecond_of_a_minute_still_belongs_to_it() {
        assertWindow(MINUTE, "2026-03-14T12:34:59.999Z", "2026-03-14T12:34:00Z", "2026-03-14T12:35:00Z");
    }

    @Test
    void the_first_instant_of_a_minute_starts_a_new_one() {
        assertWindow(MINUTE, "2026-03-14T12:35:00Z", "2026-03-14T12:35:00Z", "2026-03-14T12:36:00Z");
    }

    @Test
    void a_minute_keeps_sub_second_precision_out_of_its_start() {
        assertWindow(MINUTE, "2026-03-14T12:34:00.000001Z", "2026-03-14T12:34:00Z", "2026-03-14T12:35:00Z");
    }

    @Test
    void an_hour_ends_exactly_at_the_next_full_hour() {
        assertWindow(HOUR, "2026-03-14T12:59:59.999Z", "2026-03-14T12:00:00Z", "2026-03-14T13:00:00Z");
        assertWindow(HOUR, "2026-03-14T13:00:00Z", "2026-03-14T13:00:00Z", "2026-03-14T14:00:00Z");
    }

    @Test
    void the_last_hour_of_a_day_resets_at_midnight_of_the_next_day() {
        assertWindow(HOUR, "2026-03-14T23:59:59.999Z", "2026-03-14T23:00:00Z", "2026-03-15T00:00:00Z");
    }

    @Test
    void a_day_runs_from_midnight_to_midnight_utc() {
        assertWindow(DAY, "2026-03-14T23:59:59.999Z", "2026-03-14T00:00:00Z", "2026-03-15T00:00:00Z");
        assertWindow(DAY, "2026-03-15T00:00:00Z", "2026-03-15T00:00:00Z", "2026-03-16T00:00:00Z");
    }

    @Test
    void the_last_day_of_february_resets_on_the_first_of_march() {
        assertWindow(DAY, "2026-02-28T23:59:59.999Z", "2026-02-28T00:00:00Z", "2026-03-01T00:00:00Z");
        assertWindow(DAY, "2028-02-28T23:59:59.999Z", "2028-02-28T00:00:00Z", "2028-02-29T00:00:00Z");
        assertWindow(DAY, "2028-02-29T23:59:59.999Z", "2028-02-29T00:00:00Z", "2028-03-01T00:00:00Z");
    }

    @Test
    void sunday_night_still_belongs_to_the_week_that_began_on_monday() {
        // 2026-03-15 is a Sunday, 2026-03-09 and 2026-03-16 are Mondays.
        assertWindow(WEEK, "2026-03-15T23:59:59.999Z", "2026-03-09T00:00:00Z", "2026-03-16T00:00:00Z");
    }

    @Test
    void monday_at_midnight_starts_a_new_week() {
        assertWindow(WEEK, "2026-03-16T00:00:00Z", "2026-03-16T00:00:00Z", "2026-03-23T00:00:00Z");
        assertWindow(WEEK, "2026-03-16T00:00:00.001Z", "2026-03-16T00:00:00Z", "2026-03-23T00:00:00Z");
    }

    @Test
    void a_week_that_spans_new_year_starts_in_december_and_ends_in_january() {
        // 2026-12-31 is a Thursday; its ISO week began on Monday 2026-12-28.
        assertWindow(WEEK, "2026-12-31T23:59:59.999Z", "2026-12-28T00:00:00Z", "2027-01-04T00:00:00Z");
        assertWindow(WEEK, "2027-01-01T00:00:00Z", "2026-12-28T00:00:00Z", "2027-01-04T00:00:00Z");
    }

    @Test
    void february_2026_has_28_days() {
        assertWindow(MONTH, "2026-02-28T23:59:59.999Z", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z");
        assertWindow(MONTH, "2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
    }

    @Test
    void february_2028_is_a_leap_month_of_29_days() {
        assertWindow(MONTH, "2028-02-28T23:59:59.999Z", "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z");
        assertWindow(MONTH, "2028-02-29T00:00:00Z", "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z");
        assertWindow(MONTH, "2028-02-29T23:59:59.999Z", "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z");
        assertWindow(MONTH, "2028-03-01T00:00:00Z", "2028-03-01T00:00:00Z", "2028-04-01T00:00:00Z");
    }

    @Test
    void a_thirty_day_month_ends_after_its_thirtieth_day() {
        assertWindow(MONTH, "2026-04-30T23:59:59.999Z", "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z");
        assertWindow(MONTH, "2026-05-01T00:00:00Z", "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z");
    }

    @Test
    void a_thirty_one_day_month_ends_after_its_thirty_first_day() {
        assertWindow(MONTH, "2026-01-31T23:59:59.999Z", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
        assertWindow(MONTH, "2026-05-31T23:59:59.999Z", "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z");
    }

    @Test
    void every_window_rolls_over_from_december_into_january_of_the_next_year() {
        String last = "2026-12-31T23:59:59.999Z";
        assertWindow(MINUTE, last, "2026-12-31T23:59:00Z", "2027-01-01T00:00:00Z");
        assertWindow(HOUR, last, "2026-12-31T23:00:00Z", "2027-01-01T00:00:00Z");
        assertWindow(DAY, last, "2026-12-31T00:00:00Z", "2027-01-01T00:00:00Z");
        assertWindow(MONTH, last, "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z");
        String first = "2027-01-01T00:00:00Z";
        assertWindow(MINUTE, first, first, "2027-01-01T00:01:00Z");
        assertWindow(HOUR, first, first, "2027-01-01T01:00:00Z");
        assertWindow(DAY, first, first, "2027-01-02T00:00:00Z");
        assertWindow(MONTH, first, first, "2027-02-01T00:00:00Z");
    }

    @Test
    void the_total_window_began_at_the_epoch_and_never_resets() {
        for (String now : new String[]{"1970-01-01T00:00:00Z", "2026-12-31T23:59:59.999Z", "2028-02-29T12:00:00Z",
                "2999-01-01T00:00:00Z"}) {
            assertEquals(Instant.EPOCH, TOTAL.start(at(now)));
            assertEquals(Optional.empty(), TOTAL.resetsAt(at(now)));
        }
    }

    @Test
    void every_instant_lies_inside_its_window_and_the_reset_starts_the_next_one() {
        Random random = new Random(20260314);
        long from = at("2025-01-01T00:00:00Z").toEpochMilli();
        long to = at("2030-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 5_000; i++) {
            Instant now = Instant.ofEpochMilli(from + (long) (random.nextDouble() * (to - from)));
            for (QuotaWindow w : new QuotaWindow[]{MINUTE, HOUR, DAY, WEEK, MONTH}) {
                Instant start = w.start(now);
                Instant reset = w.resetsAt(now).orElseThrow();
                assertFalse(start.isAfter(now), w + " starts after " + now);
                assertTrue(reset.isAfter(now), w + " resets at or before " + now);
                assertEquals(reset, w.start(reset), w + " reset is not the start of the next window at " + now);
                assertEquals(start, w.start(reset.minusNanos(1)), w + " window is not contiguous at " + now);
            }
        }
    }

    @Test
    void wire_names_and_their_aliases_name_the_windows() {
        assertEquals(Optional.of(MINUTE), QuotaWindow.parse("minute"));
        assertEquals(Optional.of(MINUTE), QuotaWindow.parse("minutes"));
        assertEquals(Optional.of(HOUR), QuotaWindow.parse("hour"));
        assertEquals(Optional.of(HOUR), QuotaWindow.parse("hourly"));
        assertEquals(Optional.of(DAY), QuotaWindow.parse("day"));
        assertEquals(Optional.of(DAY), QuotaWindow.parse("daily"));
        assertEquals(Optional.of(WEEK), QuotaWindow.parse("week"));
        assertEquals(Optional.of(WEEK), QuotaWindow.parse("weekly"));
        assertEquals(Optional.of(MONTH), QuotaWindow.parse("month"));
        assertEquals(Optional.of(MONTH), QuotaWindow.parse("monthly"));
        assertEquals(Optional.of(TOTAL), QuotaWindow.parse("total"));
        assertEquals(Optional.of(TOTAL), QuotaWindow.parse("lifetime"));
        assertEquals(Optional.of(TOTAL), QuotaWindow.parse("all"));
    }

    @Test
    void a_window_is_written_by_its_canonical_name_whatever_alias_named_it() {
        assertEquals("day", QuotaWindow.parse("daily").orElseThrow().wireName());
        assertEquals("total", QuotaWindow.parse("lifetime").orElseThrow().wireName());
        assertEquals("minute", QuotaWindow.parse("minutes").orElseThrow().wireName());
    }

    @Test
    void unknown_names_name_no_window() {
        for (String name : new String[]{"", " ", "year", "yearly", "fortnight", "minutely", "days", "months", "mins",
                "total_", "1d"}) {
            assertEquals(Optional.empty(), QuotaWindow.parse(name), name);
        }
        assertEquals(Optional.empty(), QuotaWindow.parse(null));
    }
}

package fi.hg.bus.adapters.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Rfc3339Test {

    @Test
    void a_utc_time_with_z_is_read() {
        assertEquals(Instant.parse("2026-03-01T12:34:56Z"), Rfc3339.parse("2026-03-01T12:34:56Z"));
    }

    @Test
    void lowercase_t_and_z_are_read() {
        assertEquals(Instant.parse("2026-03-01T12:34:56Z"), Rfc3339.parse("2026-03-01t12:34:56z"));
        assertEquals(Instant.parse("2026-03-01T12:34:56Z"), Rfc3339.parse("2026-03-01t12:34:56Z"));
        assertEquals(Instant.parse("2026-03-01T12:34:56Z"), Rfc3339.parse("2026-03-01T12:34:56z"));
    }

    @Test
    void a_positive_offset_is_applied() {
        assertEquals(Instant.parse("2026-03-01T10:34:56Z"), Rfc3339.parse("2026-03-01T12:34:56+02:00"));
    }

    @Test
    void a_negative_offset_is_applied_across_midnight() {
        assertEquals(Instant.parse("2026-03-02T04:04:56Z"), Rfc3339.parse("2026-03-01T22:34:56-05:30"));
    }

    @Test
    void a_zero_offset_is_the_same_as_z() {
        assertEquals(Rfc3339.parse("2026-03-01T12:00:00Z"), Rfc3339.parse("2026-03-01T12:00:00+00:00"));
        assertEquals(Rfc3339.parse("2026-03-01T12:00:00Z"), Rfc3339.parse("2026-03-01T12:00:00-00:00"));
    }

    @Test
    void fractions_of_a_second_from_one_to_nine_digits_are_read() {
        assertEquals(Instant.parse("2026-03-01T12:00:00.500Z"), Rfc3339.parse("2026-03-01T12:00:00.5Z"));
        assertEquals(Instant.parse("2026-03-01T12:00:00.123456Z"), Rfc3339.parse("2026-03-01T12:00:00.123456Z"));
        assertEquals(Instant.parse("2026-03-01T12:00:00.123456789Z"), Rfc3339.parse("2026-03-01T12:00:00.123456789Z"));
        assertEquals(Instant.parse("2026-03-01T10:00:00.25Z"), Rfc3339.parse("2026-03-01T12:00:00.25+02:00"));
    }

    @Test
    void the_first_and_last_days_of_the_four_digit_years_are_read() {
        assertEquals(Instant.parse("0001-01-01T00:00:00Z"), Rfc3339.parse("0001-01-01T00:00:00Z"));
        assertEquals(Instant.parse("9999-12-31T23:59:59.999999999Z"), Rfc3339.parse("9999-12-31T23:59:59.999999999Z"));
    }

    @Test
    void a_leap_day_is_read() {
        assertEquals(Instant.parse("2028-02-29T00:00:00Z"), Rfc3339.parse("2028-02-29T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-03-01T12:34:56",             // no offset
            "2026-03-01",                      // date only
            "12:34:56Z",                       // time only
            "2026-03-01T23:59:60Z",            // leap second
            "2016-12-31T23:59:60Z",            // a real leap second, still not representable
            "0000-01-01T00:00:00Z",            // year zero
            "0000-12-31T23:59:59+00:00",
            "2026-02-30T00:00:00Z",            // no such day
            "2026-02-29T00:00:00Z",            // not a leap year
            "2026-13-01T00:00:00Z",            // no such month
            "2026-03-01T24:00:00Z",            // no such hour
            "2026-03-01T12:60:00Z",            // no such minute
            "2026-03-01T12:00:00+24:00",       // no such offset
            "2026-03-01 12:34:56Z",            // a space instead of T
            "2026-03-01T12:34Z",               // no seconds
            "2026-3-1T12:34:56Z",              // short fields
            "2026-03-01T12:34:56.Z",           // empty fraction
            "2026-03-01T12:34:56.1234567890Z", // ten fraction digits
            "2026-03-01T12:34:56+0200",        // offset without colon
            "2026-03-01T12:34:56+02",          // offset without minutes
            "2026-03-01T12:34:56UTC",
            "+12026-03-01T12:34:56Z",          // expanded year
            "-2026-03-01T12:34:56Z",
            "1772368496",                      // epoch seconds
            "now",
            "",
            " 2026-03-01T12:34:56Z",
            "2026-03-01T12:34:56Z ",
            "2026-03-01T12:34:56Z\n",
            "２０２６-03-01T12:34:56Z",          // fullwidth digits
    })
    void anything_else_is_refused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Rfc3339.parse(text));
    }

    @Test
    void an_offset_that_keeps_the_instant_within_years_1_to_9999_is_accepted() {
        assertEquals(Instant.parse("9999-12-31T22:59:59Z"), Rfc3339.parse("9999-12-31T23:59:59+01:00"));
        assertEquals(Instant.parse("0001-01-01T01:00:00Z"), Rfc3339.parse("0001-01-01T00:00:00-01:00"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9999-12-31T23:59:59-01:00", "9999-12-31T23:30:00-00:31", "0001-01-01T00:00:00+01:00",
            "0001-01-01T00:59:59.999999999+01:00"})
    void an_offset_that_moves_the_instant_outside_years_1_to_9999_is_refused(String text) {
        // such instants cannot be stored (PostgreSQL refuses them), so they are bad input, not a server failure
        assertThrows(IllegalArgumentException.class, () -> Rfc3339.parse(text));
    }

    @Test
    void very_long_input_is_refused_without_parsing_it() {
        assertThrows(IllegalArgumentException.class, () -> Rfc3339.parse("2026-03-01T12:34:56." + "1".repeat(10_000) + "Z"));
    }

    @Test
    void it_reads_what_the_jdk_parser_reads_and_refuses_what_it_refuses() {
        // The hand-written reader against java.time's strict ISO parser over many generated texts,
        // valid and not (days past the month's end, hours 24, minutes 60, offsets past 18:00).
        java.util.Random random = new java.util.Random(3339);
        for (int n = 0; n < 20_000; n++) {
            String text = String.format("%04d-%02d-%02d%s%02d:%02d:%02d%s%s",
                    1 + random.nextInt(9998), 1 + random.nextInt(13), 1 + random.nextInt(31), random.nextBoolean() ? "T" : "t",
                    random.nextInt(25), random.nextInt(61), random.nextInt(61),
                    random.nextInt(3) == 0 ? "" : "." + String.format("%09d", random.nextInt(1_000_000_000)).substring(0, 1 + random.nextInt(9)),
                    random.nextInt(3) == 0 ? (random.nextBoolean() ? "Z" : "z")
                            : String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-", random.nextInt(20), random.nextInt(61)));
            Instant expected;
            try {
                expected = java.time.OffsetDateTime.parse(text.toUpperCase(java.util.Locale.ROOT)).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                expected = null;
            }
            if (expected != null && expected.isBefore(Instant.parse("0001-01-01T00:00:00Z"))) {
                expected = null; // outside the years that can be stored, refused on purpose
            }
            if (expected == null) {
                assertThrows(IllegalArgumentException.class, () -> Rfc3339.parse(text), text);
            } else {
                assertEquals(expected, Rfc3339.parse(text), text);
            }
        }
    }
}

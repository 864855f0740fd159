package fi.hg.bus.adapters.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * RFC 3339 timestamps: a date, a time and an offset ({@code Z} or {@code ±hh:mm}) are all required.
 *
 * <p>Every usage record's time goes through here, so it reads the characters directly, without a
 * regular expression or a {@code DateTimeFormatter}: {@code yyyy-mm-ddThh:mm:ss}, an optional
 * fraction of 1–9 digits, and the offset ({@code T}/{@code t} and {@code Z}/{@code z} in either
 * case); the fields are then checked by {@link LocalDateTime#of} and {@link ZoneOffset#ofHoursMinutes},
 * which refuse impossible dates (30 February), hours, minutes, seconds (no leap second) and offsets
 * beyond ±18:00, as {@code OffsetDateTime.parse} does.
 */
public final class Rfc3339 {

    /** The instants that can be written in UTC with a four-digit year, and stored. */
    private static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static final int[] SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private Rfc3339() {
    }

    /** The instant, or {@link IllegalArgumentException} when the text is not an RFC 3339 timestamp. */
    public static Instant parse(String text) {
        int n = text.length();
        if (n < 20 || n > 40
                || text.charAt(4) != '-' || text.charAt(7) != '-' || (text.charAt(10) != 'T' && text.charAt(10) != 't')
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            throw notTimestamp();
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int i = 19;
        int nanos = 0;
        if (text.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
            }
            int length = i - start;
            if (length < 1 || length > 9) {
                throw notTimestamp();
            }
            nanos = digits(text, start, length) * SCALE[length];
        }
        if (i >= n) {
            throw notTimestamp();
        }
        char zone = text.charAt(i);
        int offsetHours = 0;
        int offsetMinutes = 0;
        if (zone == 'Z' || zone == 'z') {
            if (i + 1 != n) {
                throw notTimestamp();
            }
        } else if (zone == '+' || zone == '-') {
            if (n - i != 6 || text.charAt(i + 3) != ':') {
                throw notTimestamp();
            }
            int sign = zone == '-' ? -1 : 1;
            offsetHours = sign * digits(text, i + 1, 2);
            offsetMinutes = sign * digits(text, i + 4, 2);
        } else {
            throw notTimestamp();
        }
        Instant instant;
        try {
            instant = LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(ZoneOffset.ofHoursMinutes(offsetHours, offsetMinutes));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("is not a valid date and time");
        }
        if (year < 1 || instant.isBefore(MIN) || instant.isAfter(MAX)) {
            throw new IllegalArgumentException("is out of range");
        }
        return instant;
    }

    /** The number written by {@code length} ASCII digits at {@code from}; anything else is not a timestamp. */
    private static int digits(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                throw notTimestamp();
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException notTimestamp() {
        return new IllegalArgumentException("is not an RFC 3339 timestamp");
    }
}

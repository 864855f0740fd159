package fi.hg.bus.adapters.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/** RFC 3339 timestamps: a date, a time and an offset ({@code Z} or {@code ±hh:mm}) are all required. */
public final class Rfc3339 {

    private static final Pattern SHAPE = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    /** The range that every store and every client can hold: years 0001 to 9999, in UTC. */
    private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Rfc3339() {
    }

    /** The instant, or {@link IllegalArgumentException} when the text is not an RFC 3339 timestamp. */
    public static Instant parse(String text) {
        if (text.length() > 40 || !SHAPE.matcher(text).matches()) {
            throw new IllegalArgumentException("is not an RFC 3339 timestamp");
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(text.toUpperCase(Locale.ROOT));
            Instant instant = t.toInstant();
            // the offset may carry a valid local time out of range: 0001-01-01T00:00:00+01:00
            if (t.getYear() < 1 || instant.isBefore(FIRST) || instant.isAfter(LAST)) {
                throw new IllegalArgumentException("is out of range");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("is not a valid date and time");
        }
    }
}

package fi.hg.bus.domain.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * At most {@code requests} per key in each fixed window of {@code period}, windows aligned to the
 * epoch (a {@code /min} window starts on the minute).
 */
public record RateLimit(long requests, Duration period) {

    private static final Pattern SHAPE = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\d{0,6})\\s*([a-z]+)");

    public RateLimit {
        if (requests < 1) {
            throw new IllegalArgumentException("the number of requests must be positive");
        }
        if (period == null || period.toMillis() < 1000 || period.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the period must be from one second to one day");
        }
    }

    /**
     * Reads {@code N/unit} or {@code N/Munit}: {@code 600/min}, {@code 10/s}, {@code 100/5min},
     * {@code 5000/hour}, {@code 100000/day}; units {@code s}, {@code sec}, {@code second},
     * {@code m}, {@code min}, {@code minute}, {@code h}, {@code hour}, {@code d}, {@code day}
     * (plurals too). {@code off} (also {@code 0}, {@code none}, {@code unlimited}) is no limit: empty.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Optional<RateLimit> parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("off") || t.equals("0") || t.equals("none") || t.equals("unlimited")) {
            return Optional.empty();
        }
        Matcher m = SHAPE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be N/unit, e.g. 600/min, 10/s or 5000/hour, or off");
        }
        long count = Long.parseLong(m.group(1));
        long multiple = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        Duration unit = switch (m.group(3)) {
            case "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(1);
            case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(1);
            case "h", "hr", "hour", "hours" -> Duration.ofHours(1);
            case "d", "day", "days" -> Duration.ofDays(1);
            default -> throw new IllegalArgumentException("unknown unit \"" + m.group(3) + "\" (s, min, hour or day)");
        };
        if (count < 1 || multiple < 1) {
            throw new IllegalArgumentException("the count and the period must be positive (or write off)");
        }
        return Optional.of(new RateLimit(count, unit.multipliedBy(multiple)));
    }

    /** When the window that holds {@code now} began. */
    public Instant windowStart(Instant now) {
        long p = period.toMillis();
        long t = now.toEpochMilli();
        return Instant.ofEpochMilli(Math.floorDiv(t, p) * p);
    }

    /** When the window that holds {@code now} ends. */
    public Instant windowEnd(Instant now) {
        return windowStart(now).plus(period);
    }

    @Override
    public String toString() {
        return requests + " requests per " + describe(period);
    }

    private static String describe(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0) {
            return s == 86400 ? "day" : s / 86400 + " days";
        }
        if (s % 3600 == 0) {
            return s == 3600 ? "hour" : s / 3600 + " hours";
        }
        if (s % 60 == 0) {
            return s == 60 ? "minute" : s / 60 + " minutes";
        }
        return s == 1 ? "second" : s + " seconds";
    }
}

package fi.hg.bus.domain.quota;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A fixed window over which a quota counts, aligned in UTC: the minute, the hour, the day from
 * 00:00, the ISO week from Monday 00:00, the calendar month from the 1st, and the total, which
 * never resets.
 */
public enum QuotaWindow {
    MINUTE("minute"),
    HOUR("hour"),
    DAY("day"),
    WEEK("week"),
    MONTH("month"),
    TOTAL("total");

    private static final Map<String, QuotaWindow> NAMES = Map.ofEntries(
            Map.entry("minute", MINUTE), Map.entry("minutes", MINUTE),
            Map.entry("hour", HOUR), Map.entry("hourly", HOUR),
            Map.entry("day", DAY), Map.entry("daily", DAY),
            Map.entry("week", WEEK), Map.entry("weekly", WEEK),
            Map.entry("month", MONTH), Map.entry("monthly", MONTH),
            Map.entry("total", TOTAL), Map.entry("lifetime", TOTAL), Map.entry("all", TOTAL));

    private final String wireName;

    QuotaWindow(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The window named by its wire name or one of its aliases ({@code daily}, {@code lifetime}, …). */
    public static Optional<QuotaWindow> parse(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(NAMES.get(name.strip().toLowerCase(Locale.ROOT)));
    }

    /** Every window, in declaration order, without the copy {@code values()} makes. */
    private static final QuotaWindow[] ALL = values();

    /**
     * The starts and resets of every window for the last minute asked about. Every window's
     * bounds are whole minutes in UTC, so they are the same for every instant of one minute:
     * the entitlement check and the answers it builds ask for them several times per request.
     */
    private record Bounds(long minute, Instant[] starts, Optional<Instant>[] resets) {
    }

    private static volatile Bounds bounds = new Bounds(Long.MIN_VALUE, null, null);

    /** The bounds of {@code now}'s minute; null near the ends of the time line, where some cannot be computed. */
    private static Bounds bounds(Instant now) {
        long minute = Math.floorDiv(now.getEpochSecond(), 60);
        Bounds b = bounds;
        if (b.minute() != minute) {
            Instant[] starts = new Instant[ALL.length];
            @SuppressWarnings("unchecked")
            Optional<Instant>[] resets = new Optional[ALL.length];
            try {
                for (QuotaWindow w : ALL) {
                    starts[w.ordinal()] = w.computeStart(now);
                    resets[w.ordinal()] = w.computeResetsAt(starts[w.ordinal()]);
                }
            } catch (java.time.DateTimeException | ArithmeticException e) {
                return null;
            }
            b = new Bounds(minute, starts, resets);
            bounds = b;
        }
        return b;
    }

    /** When the window that holds {@code now} began; the total window begins at the epoch. */
    public Instant start(Instant now) {
        Bounds b = bounds(now);
        return b == null ? computeStart(now) : b.starts()[ordinal()];
    }

    /** When the window that holds {@code now} ends and the next begins; empty for the total window. */
    public Optional<Instant> resetsAt(Instant now) {
        Bounds b = bounds(now);
        return b == null ? computeResetsAt(computeStart(now)) : b.resets()[ordinal()];
    }

    private Instant computeStart(Instant now) {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        return switch (this) {
            case MINUTE -> now.truncatedTo(ChronoUnit.MINUTES);
            case HOUR -> now.truncatedTo(ChronoUnit.HOURS);
            case DAY -> now.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> t.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                    .atStartOfDay(ZoneOffset.UTC).toInstant();
            case MONTH -> LocalDate.of(t.getYear(), t.getMonth(), 1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case TOTAL -> Instant.EPOCH;
        };
    }

    private Optional<Instant> computeResetsAt(Instant start) {
        ZonedDateTime s = start.atZone(ZoneOffset.UTC);
        return switch (this) {
            case MINUTE -> Optional.of(start.plus(1, ChronoUnit.MINUTES));
            case HOUR -> Optional.of(start.plus(1, ChronoUnit.HOURS));
            case DAY -> Optional.of(s.plusDays(1).toInstant());
            case WEEK -> Optional.of(s.plusWeeks(1).toInstant());
            case MONTH -> Optional.of(s.plusMonths(1).toInstant());
            case TOTAL -> Optional.empty();
        };
    }
}

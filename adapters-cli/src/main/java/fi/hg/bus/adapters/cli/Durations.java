package fi.hg.bus.adapters.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 2d}, {@code 500ms}. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("a duration such as 30s, 5m or 1h is expected");
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 5m or 1h");
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            at = m.end();
        }
        return total;
    }

    /** The shortest form {@link #parse} reads back: {@code 30s}, {@code 2m}, {@code 1h30m}, {@code 500ms}. */
    public static String format(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long days = duration.toDays();
        if (days > 0) {
            b.append(days).append('d');
        }
        if (duration.toHoursPart() > 0) {
            b.append(duration.toHoursPart()).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            b.append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0) {
            b.append(duration.toSecondsPart()).append('s');
        }
        if (duration.toMillisPart() > 0) {
            b.append(duration.toMillisPart()).append("ms");
        }
        return b.isEmpty() ? "0s" : b.toString();
    }
}

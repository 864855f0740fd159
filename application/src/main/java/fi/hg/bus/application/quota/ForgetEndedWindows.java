package fi.hg.bus.application.quota;

import fi.hg.bus.domain.quota.QuotaWindow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Deletes counters of windows that ended long ago, so that the counter table stays the size of
 * the active accounts. Status shows only current windows; the usage feed and provider exports
 * hold the history.
 */
public final class ForgetEndedWindows {

    /** How long after its start a window's counter is kept. */
    static final Map<QuotaWindow, Duration> KEPT = Map.of(
            QuotaWindow.MINUTE, Duration.ofDays(1),
            QuotaWindow.HOUR, Duration.ofDays(3),
            QuotaWindow.DAY, Duration.ofDays(62),
            QuotaWindow.WEEK, Duration.ofDays(120),
            QuotaWindow.MONTH, Duration.ofDays(800));

    private static final int CHUNK = 10_000;

    private final QuotaCounters counters;
    private final Clock clock;

    public ForgetEndedWindows(QuotaCounters counters, Clock clock) {
        this.counters = counters;
        this.clock = clock;
    }

    /** Returns how many counters were deleted. */
    public int forget() {
        Instant now = clock.instant();
        int total = 0;
        for (var e : KEPT.entrySet()) {
            Instant cutoff = now.minus(e.getValue());
            int n;
            do {
                n = counters.forget(e.getKey(), cutoff, CHUNK);
                total += n;
            } while (n == CHUNK);
        }
        return total;
    }
}

package fi.hg.bus.domain.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * At most {@code max} requests in any sliding {@code window}, e.g. five one-time codes per address
 * in fifteen minutes. Written {@code 5/15m}.
 */
public record RequestLimit(int max, Duration window) {

    public RequestLimit {
        Objects.requireNonNull(window, "window");
        if (max < 1) {
            throw new IllegalArgumentException("a request limit allows at least one request");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a request limit's window must be longer than zero");
        }
    }

    /** Where to look back from {@code now} for the requests that count. */
    public Instant windowStart(Instant now) {
        return now.minus(window);
    }

    /**
     * Whether one more request at {@code now} is refused, given the times of the earlier requests
     * (those before {@link #windowStart} are ignored); when it is, how long until the oldest of
     * them leaves the window (at least one second).
     */
    public Optional<Duration> refusal(Collection<Instant> earlier, Instant now) {
        Instant start = windowStart(now);
        long counted = earlier.stream().filter(t -> t.isAfter(start)).count();
        if (counted < max) {
            return Optional.empty();
        }
        Instant oldest = earlier.stream().filter(t -> t.isAfter(start)).min(Instant::compareTo).orElse(now);
        Duration wait = Duration.between(now, oldest.plus(window));
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Optional.of(Duration.ofSeconds(seconds));
    }
}

package fi.hg.bus.domain.export;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a failed export is tried again: after {@code first}, doubling with each failure up to
 * {@code longest}; after {@code maxAttempts} failures it is given up (and stays visible as failed).
 */
public record RetryPolicy(Duration first, Duration longest, int maxAttempts) {

    public RetryPolicy {
        if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("a retry policy needs 0 < first <= longest and at least one attempt");
        }
    }

    /** 5 s, 10 s, 20 s … up to an hour between attempts; given up after 50 attempts (about two days). */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(1), 50);
    }

    /** When to try again after the {@code attempts}-th failed attempt, or empty when it is given up. */
    public Optional<Instant> nextAttempt(int attempts, Instant now) {
        if (attempts >= maxAttempts) {
            return Optional.empty();
        }
        Duration wait = first;
        for (int i = 1; i < attempts && wait.compareTo(longest) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return Optional.of(now.plus(wait.compareTo(longest) > 0 ? longest : wait));
    }
}

package fi.hg.bus.application.quota;

import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.quota.QuotaWindow;

import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/**
 * One quota counter: an account's use of one meter of one feature in one window instance. Keys
 * sort in a stable order (for the in-memory counters and for deterministic lists); the order in
 * which the store locks counters is the store's own.
 */
public record CounterKey(UUID accountId, String feature, String meter, QuotaWindow window, Instant windowStart)
        implements Comparable<CounterKey> {

    private static final Comparator<CounterKey> ORDER = Comparator.comparing(CounterKey::accountId)
            .thenComparing(CounterKey::feature)
            .thenComparing(CounterKey::meter)
            .thenComparing(k -> k.window().wireName())
            .thenComparing(CounterKey::windowStart);

    /** The counter of {@code rule}'s window that holds {@code now}. */
    public static CounterKey of(UUID accountId, QuotaRule rule, Instant now) {
        return new CounterKey(accountId, rule.feature(), rule.meterEventName(), rule.window(), rule.window().start(now));
    }

    @Override
    public int compareTo(CounterKey o) {
        return ORDER.compare(this, o);
    }
}

package fi.hg.bus.application.quota;

import fi.hg.bus.domain.entitlement.Tally;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Quota counters: quantity used and quantity reserved, per {@link CounterKey}. */
public interface QuotaCounters {

    /** A change to one counter. */
    record Delta(CounterKey key, long used, long reserved) {
    }

    /**
     * Applies the changes in key order. Use ({@code used}) is counted only in the windows that
     * some plan of the active catalog has a quota for; reservation changes always apply.
     */
    void apply(Collection<Delta> deltas);

    /**
     * Locks the counters (making those that do not exist yet) until the transaction ends, and
     * answers what they hold. Must run inside a transaction.
     */
    Map<CounterKey, Tally> lock(List<CounterKey> keys);

    /** Deletes at most {@code limit} counters of {@code window} that began before {@code cutoff} and hold no reservation. */
    int forget(fi.hg.bus.domain.quota.QuotaWindow window, java.time.Instant cutoff, int limit);
}

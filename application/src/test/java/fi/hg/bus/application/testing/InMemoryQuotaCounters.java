package fi.hg.bus.application.testing;

import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.application.quota.QuotaCounters;
import fi.hg.bus.domain.entitlement.Tally;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counters in a sorted map; use is counted only in the windows the active catalog has quotas for. */
public final class InMemoryQuotaCounters implements QuotaCounters {

    private final InMemoryCatalogStore catalogs;
    private final Map<CounterKey, Tally> values = new TreeMap<>();

    public InMemoryQuotaCounters(InMemoryCatalogStore catalogs) {
        this.catalogs = catalogs;
    }

    @Override
    public synchronized void apply(Collection<Delta> deltas) {
        for (Delta d : deltas) {
            CounterKey k = d.key();
            long used = catalogs.counts(k.feature(), k.meter(), k.window()) ? d.used() : 0;
            if (used == 0 && d.reserved() == 0) {
                continue;
            }
            Tally t = values.getOrDefault(k, Tally.ZERO);
            values.put(k, new Tally(t.used() + used, t.reserved() + d.reserved()));
        }
    }

    @Override
    public synchronized Map<CounterKey, Tally> lock(List<CounterKey> keys) {
        Map<CounterKey, Tally> result = new HashMap<>();
        for (CounterKey k : keys) {
            result.put(k, values.computeIfAbsent(k, x -> Tally.ZERO));
        }
        return result;
    }

    public synchronized Tally get(CounterKey key) {
        return values.getOrDefault(key, Tally.ZERO);
    }

    public synchronized Map<CounterKey, Tally> all() {
        return new TreeMap<>(values);
    }

    @Override
    public synchronized int forget(fi.hg.bus.domain.quota.QuotaWindow window, java.time.Instant cutoff, int limit) {
        var doomed = values.entrySet().stream()
                .filter(e -> e.getKey().window() == window && e.getKey().windowStart().isBefore(cutoff)
                        && e.getValue().reserved() == 0)
                .limit(limit).map(java.util.Map.Entry::getKey).toList();
        doomed.forEach(values::remove);
        return doomed.size();
    }
}

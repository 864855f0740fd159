package fi.hg.bus.application.testing;

import fi.hg.bus.application.export.UsageExports;
import fi.hg.bus.application.keys.ApiKeys;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.application.quota.QuotaCounters;
import fi.hg.bus.application.quota.Reservations;
import fi.hg.bus.application.usage.UsageLedger;
import fi.hg.bus.domain.usage.FeedPage;
import fi.hg.bus.domain.usage.FeedSelector;
import fi.hg.bus.domain.usage.UsageRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stored records and every idempotency key seen; a recording applies its effects to the in-memory
 * counters, reservations, export queue and keys, as one unit of work (one at a time, like the one
 * statement of the real ledger). The collector feed is not needed by the tests that use it.
 */
public final class InMemoryUsageLedger implements UsageLedger {

    private final InMemoryTransactions transactions;
    private final QuotaCounters counters;
    private final InMemoryReservations reservations;
    private final InMemoryUsageExports exports;
    private final InMemoryApiKeys keys;
    private final List<UsageRecord> stored = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    public InMemoryUsageLedger(InMemoryTransactions transactions, QuotaCounters counters, InMemoryReservations reservations,
                               InMemoryUsageExports exports, InMemoryApiKeys keys) {
        this.transactions = transactions;
        this.counters = counters;
        this.reservations = reservations;
        this.exports = exports;
        this.keys = keys;
    }

    @Override
    public List<Integer> record(List<Entry> entries, Instant seenAt) {
        return transactions.inTransaction(() -> apply(entries, seenAt));
    }

    private synchronized List<Integer> apply(List<Entry> entries, Instant seenAt) {
        List<Integer> positions = new ArrayList<>();
        Map<CounterKey, long[]> deltas = new HashMap<>();
        Map<ApiKeys.Use, long[]> keyUses = new HashMap<>();
        List<String> eventIds = new ArrayList<>();
        List<UsageExports.NewExport> toExport = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            UsageRecord r = e.record();
            if (r.hasEventId() && !seen.add(r.eventId())) {
                continue;
            }
            stored.add(r);
            positions.add(i);
            if (r.hasEventId()) {
                eventIds.add(r.eventId());
            }
            for (Metered m : e.metered()) {
                if (r.accountId() != null) {
                    toExport.add(new UsageExports.NewExport(m.exportKey(), r.accountId(), m.feature(), m.meter(),
                            m.quantity(), m.at()));
                    for (CounterKey k : m.counters()) {
                        deltas.computeIfAbsent(k, x -> new long[2])[0] += m.quantity();
                    }
                }
                if (e.apiKeyId() != null) {
                    keyUses.computeIfAbsent(new ApiKeys.Use(e.apiKeyId(), r.accountId(), m.meter(), 0), x -> new long[1])[0]
                            += m.quantity();
                }
            }
        }
        exports.enqueue(toExport, seenAt);
        List<ApiKeys.Use> uses = new ArrayList<>(keyUses.size());
        keyUses.forEach((u, q) -> uses.add(new ApiKeys.Use(u.keyId(), u.accountId(), u.meter(), q[0])));
        keys.count(uses);
        if (!eventIds.isEmpty()) {
            for (Reservations.Reservation settled : reservations.settle(eventIds)) {
                for (CounterKey k : settled.holds()) {
                    deltas.computeIfAbsent(k, x -> new long[2])[1] -= settled.quantity();
                }
            }
        }
        List<QuotaCounters.Delta> changes = new ArrayList<>(deltas.size());
        deltas.forEach((k, d) -> changes.add(new QuotaCounters.Delta(k, d[0], d[1])));
        counters.apply(changes);
        return positions;
    }

    public synchronized List<UsageRecord> stored() {
        return List.copyOf(stored);
    }

    @Override
    public FeedPage page(FeedSelector selector) {
        throw new UnsupportedOperationException("the collector feed is tested against PostgreSQL");
    }

    @Override
    public int deletePage(FeedSelector selector) {
        throw new UnsupportedOperationException("the collector feed is tested against PostgreSQL");
    }

    @Override
    public int forgetEventIdsSeenBefore(Instant cutoff, int limit) {
        throw new UnsupportedOperationException("forgetting keys is tested against PostgreSQL");
    }
}

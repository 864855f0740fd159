package fi.hg.bus.application.testing;

import fi.hg.bus.application.usage.UsageLedger;
import fi.hg.bus.domain.usage.FeedPage;
import fi.hg.bus.domain.usage.FeedSelector;
import fi.hg.bus.domain.usage.UsageRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Stored records and every idempotency key seen. The collector feed is not needed by the tests that use it. */
public final class InMemoryUsageLedger implements UsageLedger {

    private final List<UsageRecord> stored = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    @Override
    public synchronized List<Integer> append(List<UsageRecord> records, java.util.BitSet stampedAtReceipt, Instant seenAt) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            UsageRecord r = records.get(i);
            if (!r.hasEventId() || seen.add(r.eventId())) {
                stored.add(r);
                positions.add(i);
            }
        }
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

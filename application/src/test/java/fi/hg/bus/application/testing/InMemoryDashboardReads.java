package fi.hg.bus.application.testing;

import fi.hg.bus.application.catalog.CatalogStore;
import fi.hg.bus.application.dashboard.DashboardReads;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.domain.entitlement.Tally;
import fi.hg.bus.domain.keys.ApiKey;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The dashboard's read over the in-memory keys, subscriptions, catalog and counters; counts its reads. */
public final class InMemoryDashboardReads implements DashboardReads {

    private final InMemoryApiKeys keys;
    private final InMemorySubscriptions subscriptions;
    private final InMemoryCatalogStore catalogs;
    private final InMemoryQuotaCounters counters;
    private int reads;

    public InMemoryDashboardReads(InMemoryApiKeys keys, InMemorySubscriptions subscriptions, InMemoryCatalogStore catalogs,
                                  InMemoryQuotaCounters counters) {
        this.keys = keys;
        this.subscriptions = subscriptions;
        this.catalogs = catalogs;
        this.counters = counters;
    }

    @Override
    public synchronized Optional<Snapshot> read(String lookup, String meter, boolean withAccount, Instant now) {
        reads++;
        Optional<byte[]> hash = keys.hash(lookup);
        if (hash.isEmpty()) {
            return Optional.empty();
        }
        ApiKey key = keys.byLookup(lookup).orElseThrow();
        long used = keys.used(key.id(), meter);
        if (!withAccount) {
            return Optional.of(new Snapshot(key, hash.get(), used, Optional.empty(), 0, Map.of()));
        }
        Map<CounterKey, Tally> tallies = new HashMap<>();
        counters.all().forEach((k, t) -> {
            if (k.accountId().equals(key.accountId()) && k.meter().equals(meter) && k.windowStart().equals(k.window().start(now))) {
                tallies.put(k, t);
            }
        });
        long version = catalogs.current().map(CatalogStore.StoredCatalog::version).orElse(0L);
        return Optional.of(new Snapshot(key, hash.get(), used, subscriptions.find(key.accountId()), version, tallies));
    }

    public synchronized int reads() {
        return reads;
    }
}

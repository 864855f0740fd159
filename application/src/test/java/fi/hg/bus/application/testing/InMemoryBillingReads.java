package fi.hg.bus.application.testing;

import fi.hg.bus.application.quota.BillingReads;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.application.catalog.CatalogStore;
import fi.hg.bus.domain.catalog.CountedWindow;
import fi.hg.bus.domain.entitlement.Tally;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads the account, the active catalog version and the counters of the windows that hold {@code now}. */
public final class InMemoryBillingReads implements BillingReads {

    private final InMemorySubscriptions subscriptions;
    private final InMemoryCatalogStore catalogs;
    private final InMemoryQuotaCounters counters;

    public InMemoryBillingReads(InMemorySubscriptions subscriptions, InMemoryCatalogStore catalogs,
                                InMemoryQuotaCounters counters) {
        this.subscriptions = subscriptions;
        this.catalogs = catalogs;
        this.counters = counters;
    }

    @Override
    public Snapshot read(UUID accountId, String feature, List<CountedWindow> windows, Instant now) {
        Snapshot all = read(accountId, feature, now);
        Map<CounterKey, Tally> tallies = new HashMap<>();
        all.tallies().forEach((k, t) -> {
            if (windows.contains(new CountedWindow(k.meter(), k.window()))) {
                tallies.put(k, t);
            }
        });
        return new Snapshot(all.subscription(), all.catalogVersion(), tallies);
    }

    @Override
    public Snapshot read(UUID accountId, String feature, Instant now) {
        Map<CounterKey, Tally> tallies = new HashMap<>();
        counters.all().forEach((k, t) -> {
            if (k.accountId().equals(accountId) && (feature == null || k.feature().equals(feature))
                    && k.windowStart().equals(k.window().start(now))) {
                tallies.put(k, t);
            }
        });
        long version = catalogs.current().map(CatalogStore.StoredCatalog::version).orElse(0L);
        return new Snapshot(subscriptions.find(accountId), version, tallies);
    }
}

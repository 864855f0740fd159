package fi.hg.bus.application.testing;

import fi.hg.bus.application.catalog.CatalogStore;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.quota.QuotaWindow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Catalog versions in a list; the last is active. */
public final class InMemoryCatalogStore implements CatalogStore {

    private final List<StoredCatalog> versions = new ArrayList<>();

    @Override
    public synchronized Optional<StoredCatalog> current() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.getLast());
    }

    @Override
    public void lockForChange() {
        // the in-memory transactions already run one at a time
    }

    @Override
    public synchronized StoredCatalog save(Catalog catalog, Instant at) {
        StoredCatalog stored = new StoredCatalog(versions.size() + 1, catalog, at);
        versions.add(stored);
        return stored;
    }

    public synchronized int versionCount() {
        return versions.size();
    }

    /** Whether some plan of the active catalog has a quota for this feature, meter and window. */
    public synchronized boolean counts(String feature, String meter, QuotaWindow window) {
        return current().map(c -> c.catalog().plans().stream().flatMap(p -> p.quotas().stream())
                .anyMatch(q -> q.feature().equals(feature) && q.meterEventName().equals(meter) && q.window() == window))
                .orElse(false);
    }
}

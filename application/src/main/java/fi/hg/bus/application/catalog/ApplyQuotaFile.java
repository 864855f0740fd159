package fi.hg.bus.application.catalog;

import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.QuotaRule;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Applies the startup quota file: the quotas of the plans it names replace theirs in the active
 * catalog (a plan it names that the catalog lacks is added). Nothing is stored when the result
 * equals the active catalog, so replicas starting together add at most one version.
 */
public final class ApplyQuotaFile {

    private final Transactions transactions;
    private final CatalogStore store;
    private final Clock clock;

    public ApplyQuotaFile(Transactions transactions, CatalogStore store, Clock clock) {
        this.transactions = transactions;
        this.store = store;
        this.clock = clock;
    }

    /** @throws fi.hg.bus.domain.catalog.InvalidCatalog when the result would not be a valid catalog */
    public long apply(Map<String, List<QuotaRule>> quotasByPlan) {
        return transactions.inTransaction(() -> {
            store.lockForChange();
            CatalogStore.StoredCatalog current = store.current()
                    .orElseGet(() -> new CatalogStore.StoredCatalog(0, Catalog.empty(), null));
            Catalog updated = current.catalog().withQuotas(quotasByPlan);
            if (updated.equals(current.catalog())) {
                return current.version();
            }
            return store.save(updated, clock.instant()).version();
        });
    }
}

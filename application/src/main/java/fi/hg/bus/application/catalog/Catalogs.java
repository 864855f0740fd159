package fi.hg.bus.application.catalog;

import fi.hg.bus.domain.catalog.Catalog;

/**
 * The active catalog as this process last read it, reloaded whenever the store reports a newer
 * version. Safe to lose: it is only a copy of what the store holds.
 */
public final class Catalogs {

    private final CatalogStore store;
    private volatile CatalogStore.StoredCatalog cached = new CatalogStore.StoredCatalog(0, Catalog.empty(), null);

    public Catalogs(CatalogStore store) {
        this.store = store;
    }

    /** The catalog of {@code version} (as reported by the store in the same read as the caller's data). */
    public Catalog at(long version) {
        CatalogStore.StoredCatalog c = cached;
        if (c.version() == version) {
            return c.catalog();
        }
        return reload().catalog();
    }

    /**
     * The catalog this process read last, without asking the store: possibly older than the
     * active one (version 0 before the first read). A caller that relies on it checks the version
     * the store reports in the same read as its data.
     */
    public CatalogStore.StoredCatalog known() {
        return cached;
    }

    /** Reads the active catalog from the store. */
    public CatalogStore.StoredCatalog reload() {
        CatalogStore.StoredCatalog fresh = store.current()
                .orElseGet(() -> new CatalogStore.StoredCatalog(0, Catalog.empty(), null));
        cached = fresh;
        return fresh;
    }
}

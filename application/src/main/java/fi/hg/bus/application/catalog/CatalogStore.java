package fi.hg.bus.application.catalog;

import fi.hg.bus.domain.catalog.Catalog;

import java.time.Instant;
import java.util.Optional;

/** The catalog's versions; the newest is the active one. */
public interface CatalogStore {

    record StoredCatalog(long version, Catalog catalog, Instant createdAt) {
    }

    /** The active catalog, or empty before any was stored. */
    Optional<StoredCatalog> current();

    /** Serialises catalog changes: held until the caller's transaction ends. */
    void lockForChange();

    /** Stores {@code catalog} as the next version and makes it active. */
    StoredCatalog save(Catalog catalog, Instant at);
}

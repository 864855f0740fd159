package fi.hg.bus.application.catalog;

/** Reads the active catalog. */
public final class ReadCatalog {

    private final Catalogs catalogs;

    public ReadCatalog(Catalogs catalogs) {
        this.catalogs = catalogs;
    }

    public CatalogStore.StoredCatalog read() {
        return catalogs.reload();
    }
}

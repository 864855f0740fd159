package fi.hg.bus.adapters.persistence.catalog;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.catalog.CatalogStore;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.QuotaRule;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Catalog versions as JSON documents, and the windows they count usage in. */
public final class JooqCatalogStore implements CatalogStore {

    /** An arbitrary constant: the advisory lock that serialises catalog changes. */
    private static final long CHANGE_LOCK = 0x62757363L;

    private final PostgresStore store;

    public JooqCatalogStore(PostgresStore store) {
        this.store = store;
    }

    @Override
    public Optional<StoredCatalog> current() {
        return store.withContext(dsl -> dsl.resultQuery(
                        "select version, document::text, created_at from catalogs order by version desc limit 1")
                .fetchOptional()
                .map(r -> new StoredCatalog(r.get(0, Long.class), CatalogDocument.read(r.get(1, String.class)),
                        r.get(2, OffsetDateTime.class).toInstant())));
    }

    @Override
    public void lockForChange() {
        store.withContext(dsl -> dsl.resultQuery("select pg_advisory_xact_lock(?)", CHANGE_LOCK).fetch());
    }

    @Override
    public StoredCatalog save(Catalog catalog, Instant at) {
        // PostgreSQL keeps microseconds: answer the time as it is stored, so that the answer to a
        // change equals what a later read returns.
        Instant createdAt = at.truncatedTo(ChronoUnit.MICROS);
        return store.withContext(dsl -> {
            long version = dsl.resultQuery("insert into catalogs (version, document, created_at) "
                            + "select coalesce(max(version), 0) + 1, ?::jsonb, ?::timestamptz from catalogs returning version",
                    CatalogDocument.write(catalog), createdAt.toString()).fetchOne(0, Long.class);
            dsl.execute("delete from counted_windows");
            Set<String> seen = new LinkedHashSet<>();
            for (Plan plan : catalog.plans()) {
                for (QuotaRule q : plan.quotas()) {
                    if (seen.add(q.feature() + "\u0000" + q.meterEventName() + "\u0000" + q.window().wireName())) {
                        dsl.execute("insert into counted_windows (feature, meter, window_name) values (?, ?, ?)",
                                q.feature(), q.meterEventName(), q.window().wireName());
                    }
                }
            }
            return new StoredCatalog(version, catalog, createdAt);
        });
    }
}

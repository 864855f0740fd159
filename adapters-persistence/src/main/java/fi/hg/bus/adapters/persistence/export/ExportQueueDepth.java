package fi.hg.bus.adapters.persistence.export;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import org.jooq.Record;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * How deep the usage export queue is, in one query over the rows not yet exported (the partial
 * index {@code usage_exports_state} holds exactly those), for the metrics endpoint.
 */
public final class ExportQueueDepth {

    /** Seconds a read may take before it gives up: a scrape must answer even when the database is slow. */
    private static final int QUERY_TIMEOUT_SECONDS = 5;

    /**
     * @param pending       never attempted yet
     * @param retrying      failed, with a retry scheduled
     * @param givenUp       failed too often: never tried again, kept visible as failed
     * @param oldestWaiting when the oldest export still to be sent (pending or retrying) was queued
     */
    public record Depth(long pending, long retrying, long givenUp, Optional<Instant> oldestWaiting) {
    }

    private final PostgresStore store;

    public ExportQueueDepth(PostgresStore store) {
        this.store = store;
    }

    public Depth read() {
        return store.withContext(dsl -> {
            Record row = dsl.resultQuery("""
                            select count(*) filter (where state = 'pending'),
                                   count(*) filter (where state = 'failed' and next_attempt_at is not null),
                                   count(*) filter (where state = 'failed' and next_attempt_at is null),
                                   min(created_at) filter (where next_attempt_at is not null)
                            from usage_exports where state <> 'exported'""")
                    .queryTimeout(QUERY_TIMEOUT_SECONDS)
                    .fetchSingle();
            return new Depth(row.get(0, Long.class), row.get(1, Long.class), row.get(2, Long.class),
                    Optional.ofNullable(row.get(3, OffsetDateTime.class)).map(OffsetDateTime::toInstant));
        });
    }
}

package fi.hg.bus.app.serve;

import fi.hg.bus.adapters.http.metrics.Exposition;
import fi.hg.bus.adapters.http.metrics.MetricRegistry;
import fi.hg.bus.adapters.persistence.export.ExportQueueDepth;
import fi.hg.bus.adapters.persistence.store.PostgresStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gauges read when {@code /metrics} is scraped: the connection pool's use (from the pool's
 * memory) and the usage export queue's depth (one query, at most once per {@link #FRESH} however
 * often the endpoint is asked). While the database does not answer, {@code bus_database_up} is 0
 * and the queue gauges are left out; the scrape itself still answers.
 */
final class DatabaseGauges implements MetricRegistry.Collector {

    private static final Logger LOG = Logger.getLogger(DatabaseGauges.class.getName());

    /** How long one read of the queue serves scrapes. */
    static final Duration FRESH = Duration.ofSeconds(2);

    private final PostgresStore store;
    private final ExportQueueDepth queue;
    private final Clock clock;
    private Instant readAt;
    private ExportQueueDepth.Depth depth;
    private boolean up;

    /** @param store null when no store may be used: the database is then always reported down */
    DatabaseGauges(PostgresStore store, Clock clock) {
        this.store = store;
        this.queue = store == null ? null : new ExportQueueDepth(store);
        this.clock = clock;
    }

    @Override
    public void collect(Exposition out) {
        if (store != null) {
            PostgresStore.PoolUse pool = store.poolUse();
            out.family("bus_db_pool_connections", "gauge", "Database connections of this replica's pool, by state.")
                    .sample("bus_db_pool_connections", pool.active(), "state", "active")
                    .sample("bus_db_pool_connections", pool.idle(), "state", "idle");
            out.gauge("bus_db_pool_pending_threads", "Threads waiting for a database connection.", pool.pending());
            out.gauge("bus_db_pool_max_connections", "The connection pool's size limit.", pool.max());
        }
        Reading reading = read();
        out.gauge("bus_database_up", "1 when the database answered the metrics query of this scrape, else 0.",
                reading.up() ? 1 : 0);
        if (reading.up()) {
            ExportQueueDepth.Depth d = reading.depth();
            String name = "bus_usage_export_queue";
            out.family(name, "gauge", "Usage exports not yet accepted by the payment provider, by state "
                            + "(pending: never tried; retrying: failed, retry scheduled; given_up: failed too often).")
                    .sample(name, d.pending(), "state", "pending")
                    .sample(name, d.retrying(), "state", "retrying")
                    .sample(name, d.givenUp(), "state", "given_up");
            double age = d.oldestWaiting()
                    .map(at -> Math.max(0, Duration.between(at, reading.at()).toMillis() / 1000.0)).orElse(0.0);
            out.gauge("bus_usage_export_oldest_waiting_seconds",
                    "Age of the oldest usage export still to be sent (pending or retrying); 0 when none waits.", age);
        }
    }

    private record Reading(boolean up, ExportQueueDepth.Depth depth, Instant at) {
    }

    /** Scrapes are rare and not on any hot path: one at a time reads, the others reuse its answer. */
    private synchronized Reading read() {
        Instant now = clock.instant();
        if (readAt != null && !now.isBefore(readAt) && Duration.between(readAt, now).compareTo(FRESH) < 0) {
            return new Reading(up, depth, readAt);
        }
        if (queue == null) {
            up = false;
        } else {
            try {
                depth = queue.read();
                up = true;
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "metrics: the export queue could not be read", e);
                depth = null;
                up = false;
            }
        }
        readAt = clock.instant();
        return new Reading(up, depth, readAt);
    }
}

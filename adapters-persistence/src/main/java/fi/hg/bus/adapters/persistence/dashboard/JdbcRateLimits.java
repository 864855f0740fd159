package fi.hg.bus.adapters.persistence.dashboard;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.dashboard.RateLimits;
import fi.hg.bus.domain.dashboard.RateLimit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window request counts per key in PostgreSQL (an unlogged table), so that every replica
 * counts into the same window: one upsert per admitted request, as a plain JDBC prepared statement
 * (the dashboard's hot path; see {@link JdbcDashboardReads}). A key that this replica saw over
 * its limit is refused from memory until its window ends, without a round trip; that memory is
 * safe to lose (the count in the store only grows within a window) and lets no request through.
 *
 * <p>Each replica names the window by its own clock; a replica whose clock lags counts into the
 * newer window it finds stored, so skew never resets a count.
 */
public final class JdbcRateLimits implements RateLimits {

    private static final String ADMIT = """
            insert into api_key_rate_windows as w (key_id, window_start, hits) values (?, ?, 1)
            on conflict (key_id) do update set
                hits = case when excluded.window_start > w.window_start then 1 else w.hits + 1 end,
                window_start = greatest(w.window_start, excluded.window_start)
            returning hits, window_start""";

    /** Keys over their limit, until their window ends. */
    private final Map<UUID, Instant> refusedUntil = new ConcurrentHashMap<>();
    private final PostgresStore store;

    public JdbcRateLimits(PostgresStore store) {
        this.store = store;
    }

    @Override
    public Admission admit(UUID keyId, RateLimit limit, Instant now) {
        Instant until = refusedUntil.get(keyId);
        if (until != null) {
            if (now.isBefore(until)) {
                return new Admission(false, until);
            }
            refusedUntil.remove(keyId, until);
        }
        Admission counted = store.withContext(dsl -> dsl.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(ADMIT)) {
                ps.setObject(1, keyId);
                ps.setObject(2, OffsetDateTime.ofInstant(limit.windowStart(now), ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long hits = rs.getLong(1);
                    Instant windowEnd = rs.getObject(2, OffsetDateTime.class).toInstant().plus(limit.period());
                    return new Admission(hits <= limit.requests(), windowEnd);
                }
            }
        }));
        if (!counted.admitted()) {
            if (refusedUntil.size() > 100_000) {
                refusedUntil.values().removeIf(end -> !now.isBefore(end));
            }
            refusedUntil.put(keyId, counted.windowEnd());
        }
        return counted;
    }
}

package fi.hg.bus.adapters.persistence.quota;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.application.quota.QuotaCounters;
import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.entitlement.Tally;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Quota counters in PostgreSQL. Every write goes through one statement whose rows are in one
 * order, the same in every statement that writes counters (also the
 * recording statement of {@code JooqUsageLedger}), so that concurrent writers lock counters in the
 * same order and never deadlock: the account, then feature, meter and window name byte-wise
 * ({@code collate "C"}), then the window's start. It is PostgreSQL's own order, so that no statement
 * depends on the order its caller built the rows in.
 *
 * <p>{@link #lock} and {@link #apply} run with every reservation, so both
 * talk JDBC on the connection jOOQ manages (the caller's transaction, or one from the pool) instead
 * of going through jOOQ plain-SQL queries, whose rendering and array-type inference cost the server
 * several times what the statements themselves do (docs/benchmarks.md). Same SQL, same binds.
 */
public final class JooqQuotaCounters implements QuotaCounters {

    private static final String KEYS = """
            unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
                with ordinality as u(account_id, feature, meter, window_name, window_start, used, reserved, ord)""";

    private static final String APPLY = """
            insert into quota_counters (account_id, feature, meter, window_name, window_start, used, reserved)
            select account_id::uuid, feature, meter, window_name, window_start::timestamptz, used, reserved from (
                select u.account_id, u.feature, u.meter, u.window_name, u.window_start, u.reserved, u.ord,
                       case when exists (select 1 from counted_windows c where c.feature = u.feature
                                         and c.meter = u.meter and c.window_name = u.window_name)
                            then u.used else 0 end as used
                from %s) v
            where used <> 0 or reserved <> 0
            order by account_id::uuid, feature collate "C", meter collate "C", window_name collate "C",
                     window_start::timestamptz
            on conflict (account_id, feature, meter, window_name, window_start) do update
                set used = quota_counters.used + excluded.used,
                    reserved = quota_counters.reserved + excluded.reserved""".formatted(KEYS);

    private static final String LOCK = """
            insert into quota_counters (account_id, feature, meter, window_name, window_start)
            select account_id::uuid, feature, meter, window_name, window_start::timestamptz from %s
            order by account_id::uuid, feature collate "C", meter collate "C", window_name collate "C",
                     window_start::timestamptz
            on conflict (account_id, feature, meter, window_name, window_start) do update set used = quota_counters.used
            returning account_id, feature, meter, window_name, window_start, used, reserved""".formatted(KEYS);

    private final PostgresStore store;

    public JooqQuotaCounters(PostgresStore store) {
        this.store = store;
    }

    @Override
    public void apply(Collection<Delta> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        List<Delta> sorted = new ArrayList<>(deltas);
        sorted.sort((a, b) -> a.key().compareTo(b.key()));
        List<CounterKey> keys = sorted.stream().map(Delta::key).toList();
        long[] used = sorted.stream().mapToLong(Delta::used).toArray();
        long[] reserved = sorted.stream().mapToLong(Delta::reserved).toArray();
        store.withContext(dsl -> dsl.connectionResult(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(APPLY)) {
                bind(connection, statement, keys, used, reserved);
                return statement.executeUpdate();
            }
        }));
    }

    @Override
    public Map<CounterKey, Tally> lock(List<CounterKey> keys) {
        List<CounterKey> sorted = keys.stream().sorted().distinct().toList();
        long[] zeros = new long[sorted.size()];
        return store.withContext(dsl -> dsl.connectionResult(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(LOCK)) {
                bind(connection, statement, sorted, zeros, zeros);
                Map<CounterKey, Tally> result = new HashMap<>();
                try (ResultSet r = statement.executeQuery()) {
                    while (r.next()) {
                        CounterKey key = new CounterKey(r.getObject(1, UUID.class), r.getString(2), r.getString(3),
                                QuotaWindow.parse(r.getString(4)).orElseThrow(),
                                r.getObject(5, OffsetDateTime.class).toInstant());
                        result.put(key, new Tally(r.getLong(6), r.getLong(7)));
                    }
                }
                return result;
            }
        }));
    }

    @Override
    public int forget(QuotaWindow window, java.time.Instant cutoff, int limit) {
        return store.withContext(dsl -> dsl.execute("""
                delete from quota_counters where ctid in (
                    select ctid from quota_counters
                    where window_start < ?::timestamptz and window_name = ? and reserved = 0 limit ?)""",
                cutoff.toString(), window.wireName(), limit));
    }

    /** Binds the seven arrays of {@link #KEYS}: the keys' columns, then used and reserved. */
    private static void bind(Connection connection, PreparedStatement statement, List<CounterKey> keys, long[] used,
                             long[] reserved) throws SQLException {
        int n = keys.size();
        String[] accounts = new String[n];
        String[] features = new String[n];
        String[] meters = new String[n];
        String[] windows = new String[n];
        String[] starts = new String[n];
        Long[] u = new Long[n];
        Long[] r = new Long[n];
        for (int i = 0; i < n; i++) {
            CounterKey k = keys.get(i);
            accounts[i] = k.accountId().toString();
            features[i] = k.feature();
            meters[i] = k.meter();
            windows[i] = k.window().wireName();
            starts[i] = k.windowStart().toString();
            u[i] = used[i];
            r[i] = reserved[i];
        }
        statement.setArray(1, connection.createArrayOf("text", accounts));
        statement.setArray(2, connection.createArrayOf("text", features));
        statement.setArray(3, connection.createArrayOf("text", meters));
        statement.setArray(4, connection.createArrayOf("text", windows));
        statement.setArray(5, connection.createArrayOf("text", starts));
        statement.setArray(6, connection.createArrayOf("bigint", u));
        statement.setArray(7, connection.createArrayOf("bigint", r));
    }
}

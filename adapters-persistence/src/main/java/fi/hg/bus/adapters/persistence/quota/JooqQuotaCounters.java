package fi.hg.bus.adapters.persistence.quota;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.application.quota.QuotaCounters;
import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.entitlement.Tally;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Quota counters in PostgreSQL. Every write goes through one statement whose rows are in
 * {@link CounterKey} order, so that concurrent writers lock counters in the same order.
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
            order by ord
            on conflict (account_id, feature, meter, window_name, window_start) do update
                set used = quota_counters.used + excluded.used,
                    reserved = quota_counters.reserved + excluded.reserved""".formatted(KEYS);

    private static final String LOCK = """
            insert into quota_counters (account_id, feature, meter, window_name, window_start)
            select account_id::uuid, feature, meter, window_name, window_start::timestamptz from %s
            order by ord
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
        Object[] binds = binds(sorted.stream().map(Delta::key).toList(),
                sorted.stream().mapToLong(Delta::used).toArray(), sorted.stream().mapToLong(Delta::reserved).toArray());
        store.withContext(dsl -> dsl.execute(APPLY, binds));
    }

    @Override
    public Map<CounterKey, Tally> lock(List<CounterKey> keys) {
        List<CounterKey> sorted = keys.stream().sorted().distinct().toList();
        long[] zeros = new long[sorted.size()];
        Object[] binds = binds(sorted, zeros, zeros);
        return store.withContext(dsl -> {
            Map<CounterKey, Tally> result = new HashMap<>();
            for (Record r : dsl.resultQuery(LOCK, binds).fetch()) {
                CounterKey key = new CounterKey(r.get(0, UUID.class), r.get(1, String.class), r.get(2, String.class),
                        QuotaWindow.parse(r.get(3, String.class)).orElseThrow(), r.get(4, OffsetDateTime.class).toInstant());
                result.put(key, new Tally(r.get(5, Long.class), r.get(6, Long.class)));
            }
            return result;
        });
    }

    @Override
    public int forget(QuotaWindow window, java.time.Instant cutoff, int limit) {
        return store.withContext(dsl -> dsl.execute("""
                delete from quota_counters where ctid in (
                    select ctid from quota_counters
                    where window_start < ?::timestamptz and window_name = ? and reserved = 0 limit ?)""",
                cutoff.toString(), window.wireName(), limit));
    }

    private static Object[] binds(List<CounterKey> keys, long[] used, long[] reserved) {
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
        return new Object[]{text(accounts), text(features), text(meters), text(windows), text(starts),
                DSL.val(u, SQLDataType.BIGINT.array()), DSL.val(r, SQLDataType.BIGINT.array())};
    }

    private static org.jooq.Param<String[]> text(String[] values) {
        return DSL.val(values, SQLDataType.VARCHAR.array());
    }
}

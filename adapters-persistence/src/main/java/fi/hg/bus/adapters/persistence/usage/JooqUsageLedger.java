package fi.hg.bus.adapters.persistence.usage;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.application.usage.UsageLedger;
import fi.hg.bus.domain.usage.FeedPage;
import fi.hg.bus.domain.usage.FeedSelector;
import fi.hg.bus.domain.usage.StoredUsageEvent;
import fi.hg.bus.domain.usage.UsageEventType;
import fi.hg.bus.domain.usage.UsageRecord;
import org.jooq.Record;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The usage ledger in PostgreSQL: one statement, one round trip, per request on every path. A
 * recording stores the records and applies everything they change (reservations settled, quota
 * counters, the export queue, API keys' use) in that one statement.
 */
public final class JooqUsageLedger implements UsageLedger {

    /*
     * One round trip records a whole batch, in one statement that is atomic by itself (run in
     * auto-commit mode, it is its own transaction):
     *
     * - input: the records, as parallel arrays, in request order (ord).
     * - claimed/fresh: their keys are claimed in usage_event_keys (a key already there, or claimed by
     *   a concurrent transaction that commits, is left alone), and exactly the records whose key was
     *   claimed now, or that have no key, go on. Keys are claimed in key order: concurrent batches
     *   that share keys in different orders would otherwise wait for each other's uncommitted keys
     *   and deadlock.
     * - stored: those records join the feed. A record stamped at receipt is moved just past the
     *   feed's watermark; reading the watermark (only when some record is stamped) takes the feed's
     *   shared lock for the rest of the transaction (bus_usage_feed_floor(), migration V3).
     * - metered: the records' meter quantities (worked out by the caller for every record), kept for
     *   the fresh records only.
     * - exported: those of records with an account are queued for export; a key already queued is
     *   left alone, and a quantity without a key gets a unique one.
     * - keyed: those of records naming an API key count against it when the key belongs to the
     *   record's account (or the record names no account).
     * - settled: the held reservations whose id is the key of a fresh record are settled; their held
     *   quantity leaves every counter they hold.
     * - deltas/counted: the metered quantities go into the counters of the windows that some plan of
     *   the active catalog has a quota for (counted_windows), and the settled holds leave theirs, in
     *   one upsert whose rows are in the one order every writer of counters uses (account, then
     *   feature, meter and window byte-wise, then the window's start; see JooqQuotaCounters).
     *
     * Every data-modifying part runs exactly once and to completion whatever the final select reads.
     * The answer is the positions of the fresh records in the request.
     */
    private static final String RECORD = """
            with floor as materialized (
                select bus_usage_feed_floor() + interval '1 microsecond' as at
            ), input as (
                select t.event_id, t.event_type, t.account_id::uuid as account_id, t.data, t.api_key_id::uuid as api_key_id,
                       t.ord,
                       case when t.stamped then greatest(t.occurred_at::timestamptz, (select at from floor))
                            else t.occurred_at::timestamptz end as occurred_at
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[], ?::text[])
                    with ordinality as t(event_id, event_type, account_id, occurred_at, data, stamped, api_key_id, ord)
            ), claimed as (
                insert into usage_event_keys (event_id, first_seen_at)
                select event_id, ?::timestamptz from input where event_id is not null
                order by event_id
                on conflict do nothing
                returning event_id
            ), fresh as (
                select * from input
                where event_id is null or event_id in (select event_id from claimed)
            ), stored as (
                insert into usage_events (event_id, event_type, account_id, occurred_at, data)
                select event_id, event_type, account_id, occurred_at, data::json
                from fresh order by ord
                returning id
            ), metered as (
                select m.line, f.account_id, f.api_key_id, m.feature, m.meter, m.quantity, m.export_key,
                       m.at::timestamptz as at
                from unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])
                    with ordinality as m(record_ord, feature, meter, quantity, export_key, at, line)
                join fresh f on f.ord = m.record_ord
            ), exported as (
                insert into usage_exports (idempotency_key, account_id, feature, meter, quantity, occurred_at, state,
                                           attempts, next_attempt_at, created_at)
                select coalesce(export_key, 'bus_usage_' || replace(gen_random_uuid()::text, '-', '')), account_id,
                       feature, meter, quantity, at, 'pending', 0, ?::timestamptz, ?::timestamptz
                from metered where account_id is not null
                order by line
                on conflict (idempotency_key) do nothing
            ), keyed as (
                insert into api_key_usage (key_id, meter, used)
                select k.id, m.meter, sum(m.quantity)
                from metered m
                join api_keys k on k.id = m.api_key_id and (m.account_id is null or k.account_id = m.account_id)
                group by k.id, m.meter
                order by k.id, m.meter
                on conflict (key_id, meter) do update set used = api_key_usage.used + excluded.used
            ), settled as (
                update reservations set state = 'settled'
                where id in (select event_id from fresh where event_id is not null) and state = 'held'
                returning account_id, quantity, hold_features, hold_meters, hold_windows, hold_starts
            ), deltas as (
                select m.account_id, m.feature::varchar, m.meter::varchar, c.window_name::varchar,
                       c.window_start::timestamptz as window_start, m.quantity as used, 0::bigint as reserved
                from unnest(?::bigint[], ?::text[], ?::text[]) as c(line, window_name, window_start)
                join metered m on m.line = c.line
                where exists (select 1 from counted_windows w
                              where w.feature = m.feature and w.meter = m.meter and w.window_name = c.window_name)
                union all
                select s.account_id, h.feature, h.meter, h.window_name, h.window_start, 0::bigint, -s.quantity
                from settled s
                cross join lateral unnest(s.hold_features, s.hold_meters, s.hold_windows, s.hold_starts)
                    as h(feature, meter, window_name, window_start)
            ), counted as (
                insert into quota_counters (account_id, feature, meter, window_name, window_start, used, reserved)
                select account_id, feature, meter, window_name, window_start, sum(used), sum(reserved)
                from deltas
                group by account_id, feature, meter, window_name, window_start
                having sum(used) <> 0 or sum(reserved) <> 0
                order by account_id, feature collate "C", meter collate "C", window_name collate "C", window_start
                on conflict (account_id, feature, meter, window_name, window_start) do update
                    set used = quota_counters.used + excluded.used,
                        reserved = quota_counters.reserved + excluded.reserved
            )
            select ord from fresh order by ord""";

    /** The feed's exclusive lock: the shared side is taken by bus_usage_feed_floor() in every recording. */
    private static final long FEED_LOCK = 7370876374371L;

    private static final String PAGE = """
            select id, event_id, occurred_at, account_id, event_type, data::text
            from usage_events
            where occurred_at <= ?::timestamptz
            order by occurred_at, id
            limit ? offset ?""";

    /*
     * "id = any(array(…))" rather than "id in (…)": with "in", PostgreSQL plans a hash semi join
     * that reads the whole table (dead rows included) for every page, so draining the feed took
     * time proportional to pages × table size (160–180 ms per page of 10,000 at 1M rows). The
     * array is computed once, in the statement's snapshot, exactly like the subquery, and the rows
     * are then found through the primary key (15–20 ms per page). See docs/benchmarks.md.
     */
    private static final String DELETE_PAGE = """
            delete from usage_events where id = any(array(
                select id from usage_events
                where occurred_at <= ?::timestamptz
                order by occurred_at, id
                limit ? offset ?))""";

    private static final String FORGET = """
            delete from usage_event_keys where event_id in (
                select event_id from usage_event_keys where first_seen_at < ?::timestamptz limit ?)""";

    private final PostgresStore store;

    public JooqUsageLedger(PostgresStore store) {
        this.store = store;
    }

    @Override
    public List<Integer> record(List<Entry> entries, Instant seenAt) {
        int n = entries.size();
        String[] eventIds = new String[n];
        String[] types = new String[n];
        String[] accounts = new String[n];
        String[] occurred = new String[n];
        String[] data = new String[n];
        Boolean[] stamped = new Boolean[n];
        String[] apiKeys = new String[n];
        int lines = 0;
        int windows = 0;
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            UsageRecord r = e.record();
            eventIds[i] = r.eventId();
            types[i] = r.type().wireName();
            accounts[i] = r.accountId() == null ? null : r.accountId().toString();
            occurred[i] = r.occurredAt().toString();
            data[i] = r.dataJson();
            stamped[i] = e.stampedAtReceipt();
            apiKeys[i] = e.apiKeyId() == null ? null : e.apiKeyId().toString();
            lines += e.metered().size();
            for (Metered m : e.metered()) {
                windows += m.counters().size();
            }
        }
        Long[] lineRecord = new Long[lines];
        String[] features = new String[lines];
        String[] meters = new String[lines];
        Long[] quantities = new Long[lines];
        String[] exportKeys = new String[lines];
        String[] times = new String[lines];
        Long[] counterLine = new Long[windows];
        String[] windowNames = new String[windows];
        String[] windowStarts = new String[windows];
        int line = 0;
        int w = 0;
        for (int i = 0; i < n; i++) {
            for (Metered m : entries.get(i).metered()) {
                lineRecord[line] = (long) i + 1;
                features[line] = m.feature();
                meters[line] = m.meter();
                quantities[line] = m.quantity();
                exportKeys[line] = m.exportKey();
                times[line] = m.at().toString();
                line++;
                for (CounterKey k : m.counters()) {
                    counterLine[w] = (long) line;
                    windowNames[w] = k.window().wireName();
                    windowStarts[w] = k.windowStart().toString();
                    w++;
                }
            }
        }
        String seen = seenAt.toString();
        return store.statement(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(RECORD)) {
                int p = 1;
                statement.setArray(p++, connection.createArrayOf("text", eventIds));
                statement.setArray(p++, connection.createArrayOf("text", types));
                statement.setArray(p++, connection.createArrayOf("text", accounts));
                statement.setArray(p++, connection.createArrayOf("text", occurred));
                statement.setArray(p++, connection.createArrayOf("text", data));
                statement.setArray(p++, connection.createArrayOf("boolean", stamped));
                statement.setArray(p++, connection.createArrayOf("text", apiKeys));
                statement.setString(p++, seen);
                statement.setArray(p++, connection.createArrayOf("bigint", lineRecord));
                statement.setArray(p++, connection.createArrayOf("text", features));
                statement.setArray(p++, connection.createArrayOf("text", meters));
                statement.setArray(p++, connection.createArrayOf("bigint", quantities));
                statement.setArray(p++, connection.createArrayOf("text", exportKeys));
                statement.setArray(p++, connection.createArrayOf("text", times));
                statement.setString(p++, seen);
                statement.setString(p++, seen);
                statement.setArray(p++, connection.createArrayOf("bigint", counterLine));
                statement.setArray(p++, connection.createArrayOf("text", windowNames));
                statement.setArray(p, connection.createArrayOf("text", windowStarts));
                List<Integer> positions = new ArrayList<>(n);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        positions.add((int) rows.getLong(1) - 1);
                    }
                }
                return positions;
            }
        });
    }

    @Override
    public FeedPage page(FeedSelector selector) {
        return store.inTransaction(() -> store.withContext(dsl -> {
            raiseWatermark(dsl, selector);
            var rows = dsl.resultQuery(PAGE, selector.before().toString(), selector.pageSize() + 1, selector.offset()).fetch();
            boolean hasMore = rows.size() > selector.pageSize();
            int count = Math.min(rows.size(), selector.pageSize());
            List<StoredUsageEvent> items = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                items.add(toEvent(rows.get(i)));
            }
            return new FeedPage(selector, items, hasMore);
        }));
    }

    /**
     * Raises the watermark towards the selector's {@code before} (never past the database's clock)
     * when it is lower, first waiting for every recording in flight: afterwards no record stamped
     * at receipt can join this selection below the watermark.
     */
    private static void raiseWatermark(org.jooq.DSLContext dsl, FeedSelector selector) {
        String before = selector.before().toString();
        boolean below = dsl.resultQuery(
                        "select at < least(?::timestamptz, clock_timestamp()) from usage_feed_watermark where id = 1", before)
                .fetchOne(0, Boolean.class);
        if (below) {
            dsl.resultQuery("select pg_advisory_xact_lock(?)", FEED_LOCK).fetch();
            dsl.execute("update usage_feed_watermark set at = greatest(at, least(?::timestamptz, clock_timestamp())) "
                    + "where id = 1", before);
        }
    }

    @Override
    public int deletePage(FeedSelector selector) {
        return store.inTransaction(() -> store.withContext(dsl -> {
            raiseWatermark(dsl, selector);
            return dsl.execute(DELETE_PAGE, selector.before().toString(), selector.pageSize(), selector.offset());
        }));
    }

    @Override
    public int forgetEventIdsSeenBefore(Instant cutoff, int limit) {
        return store.withContext(dsl -> dsl.execute(FORGET, cutoff.toString(), limit));
    }

    private static StoredUsageEvent toEvent(Record row) {
        OffsetDateTime occurredAt = row.get(2, OffsetDateTime.class);
        return new StoredUsageEvent(
                row.get(0, Long.class),
                row.get(1, String.class),
                occurredAt.toInstant(),
                row.get(3, UUID.class),
                UsageEventType.fromWireName(row.get(4, String.class))
                        .orElseThrow(() -> new IllegalStateException("unknown event type in the store")),
                row.get(5, String.class));
    }
}

package fi.hg.bus.adapters.persistence.usage;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.usage.UsageLedger;
import fi.hg.bus.domain.usage.FeedPage;
import fi.hg.bus.domain.usage.FeedSelector;
import fi.hg.bus.domain.usage.StoredUsageEvent;
import fi.hg.bus.domain.usage.UsageEventType;
import fi.hg.bus.domain.usage.UsageRecord;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The usage ledger in PostgreSQL: one statement per request on every path. */
public final class JooqUsageLedger implements UsageLedger {

    /*
     * One round trip stores a whole batch: the records arrive as parallel arrays, their keys are
     * claimed in usage_event_keys (a key already there, or claimed by a concurrent transaction that
     * commits, is left alone), and exactly the records whose key was claimed now, or that have no
     * key, are stored in request order. The answer is their positions in the request.
     * Keys are claimed in key order: concurrent batches that share keys in different orders would
     * otherwise wait for each other's uncommitted keys and deadlock.
     */
    private static final String APPEND = """
            with floor as materialized (
                select bus_usage_feed_floor() + interval '1 microsecond' as at
            ), input as (
                select t.event_id, t.event_type, t.account_id, t.data, t.ord,
                       case when t.stamped then greatest(t.occurred_at::timestamptz, (select at from floor))
                            else t.occurred_at::timestamptz end as occurred_at
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[])
                    with ordinality as t(event_id, event_type, account_id, occurred_at, data, stamped, ord)
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
                select event_id, event_type, account_id::uuid, occurred_at, data::json
                from fresh order by ord
                returning id
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
    public List<Integer> append(List<UsageRecord> records, java.util.BitSet stampedAtReceipt, Instant seenAt) {
        int n = records.size();
        String[] eventIds = new String[n];
        String[] types = new String[n];
        String[] accounts = new String[n];
        String[] occurred = new String[n];
        String[] data = new String[n];
        Boolean[] stamped = new Boolean[n];
        for (int i = 0; i < n; i++) {
            UsageRecord r = records.get(i);
            eventIds[i] = r.eventId();
            types[i] = r.type().wireName();
            accounts[i] = r.accountId() == null ? null : r.accountId().toString();
            occurred[i] = r.occurredAt().toString();
            data[i] = r.dataJson();
            stamped[i] = stampedAtReceipt.get(i);
        }
        return store.withContext(dsl -> {
            var rows = dsl.resultQuery(APPEND,
                    textArray(eventIds), textArray(types), textArray(accounts), textArray(occurred), textArray(data),
                    DSL.val(stamped, SQLDataType.BOOLEAN.array()), seenAt.toString()).fetch();
            List<Integer> positions = new ArrayList<>(rows.size());
            for (Record row : rows) {
                positions.add(row.get(0, Long.class).intValue() - 1);
            }
            return positions;
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

    private static org.jooq.Param<String[]> textArray(String[] values) {
        return DSL.val(values, SQLDataType.VARCHAR.array());
    }
}

package fi.hg.bus.adapters.persistence.quota;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.application.quota.Reservations;
import fi.hg.bus.domain.entitlement.EntitlementDecision;
import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.entitlement.UsageItem;
import org.jooq.Record;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Reservations in PostgreSQL; the primary key makes a reservation id usable once. {@link #claim}
 * and {@link #decide} run with every check that reserves, so they talk JDBC (prepared statements
 * of constant SQL, which the driver keeps prepared on each connection) instead of rendering jOOQ
 * plain-SQL queries.
 */
public final class JooqReservations implements Reservations {

    private static final String COLUMNS = """
            id, account_id, feature, meter, quantity, expires_at, state, hold_windows, hold_starts::text[],
            hold_features, hold_meters, decision, plan_id, recommended_plan, item_feature, item_meter, item_window,
            item_used, item_limit, item_reserved, item_upgrade_plan_id, decided_at, api_key_id""";

    /*
     * The claim and the read the check decides on, in one round trip: the insert claims the id
     * (waiting for a concurrent claim of the same id to end; an id taken already is left alone), and
     * the select reads the account, the catalog version and the counters as JooqBillingReads does,
     * each row with the number of rows the insert made (1: claimed now).
     */
    private static final String CLAIM = """
            with claim as (
                insert into reservations (id, account_id, feature, meter, quantity, expires_at, state)
                values (?, ?, ?, ?, ?, ?::timestamptz, 'pending') on conflict (id) do nothing
                returning 1
            )
            select\s""" + JooqBillingReads.COLUMNS + ", (select count(*) from claim)\n" + JooqBillingReads.FROM;

    private static final String FIND = "select " + COLUMNS + " from reservations where id = ?";

    /*
     * The answer, and what an allowed reservation holds: the reservation's quantity joins the
     * reserved quantity of every counter it holds, in the same statement (the check locked those
     * counters before it decided; the rows are written in the order every writer of counters uses,
     * see JooqQuotaCounters).
     */
    private static final String DECIDE = """
            with decided as (
                update reservations set state = ?, decision = ?, plan_id = ?, recommended_plan = ?,
                    hold_windows = ?::varchar[], hold_starts = ?::text[]::timestamptz[],
                    hold_features = ?::varchar[], hold_meters = ?::varchar[],
                    item_feature = ?, item_meter = ?, item_window = ?, item_used = ?, item_limit = ?,
                    item_reserved = ?, item_upgrade_plan_id = ?, decided_at = ?::timestamptz, api_key_id = ?
                where id = ?
                returning account_id, quantity, state, hold_features, hold_meters, hold_windows, hold_starts
            )
            insert into quota_counters (account_id, feature, meter, window_name, window_start, used, reserved)
            select d.account_id, h.feature, h.meter, h.window_name, h.window_start, 0, d.quantity
            from decided d
            cross join lateral unnest(d.hold_features, d.hold_meters, d.hold_windows, d.hold_starts)
                as h(feature, meter, window_name, window_start)
            where d.state = 'held' and d.quantity <> 0
            order by d.account_id, h.feature collate "C", h.meter collate "C", h.window_name collate "C", h.window_start
            on conflict (account_id, feature, meter, window_name, window_start) do update
                set reserved = quota_counters.reserved + excluded.reserved""";

    private final PostgresStore store;

    public JooqReservations(PostgresStore store) {
        this.store = store;
    }

    @Override
    public Claim claim(String id, UUID accountId, String feature, String meter, long quantity, Instant expiresAt,
                       Instant now) {
        return store.statement(connection -> {
            try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
                claim.setString(1, id);
                claim.setObject(2, accountId);
                claim.setString(3, feature);
                claim.setString(4, meter);
                claim.setLong(5, quantity);
                claim.setString(6, utc(expiresAt));
                JooqBillingReads.bind(connection, claim, 7, accountId, feature, now);
                try (ResultSet rows = claim.executeQuery()) {
                    // Every row carries the count; the read always answers at least one row.
                    boolean claimed = rows.next() && rows.getLong(JooqBillingReads.COLUMN_COUNT + 1) == 1;
                    if (claimed) {
                        return new Claim.Claimed(JooqBillingReads.snapshotFromCurrent(accountId, rows, now));
                    }
                }
            }
            try (PreparedStatement select = connection.prepareStatement(FIND)) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return new Claim.Taken(rows.next() ? Optional.of(toReservation(row(rows))) : Optional.<Reservation>empty());
                }
            }
        });
    }

    @Override
    public void decide(String id, EntitlementDecision answer, List<CounterKey> holds, Instant at) {
        int n = holds.size();
        String[] windows = new String[n];
        String[] starts = new String[n];
        String[] features = new String[n];
        String[] meters = new String[n];
        for (int i = 0; i < n; i++) {
            CounterKey k = holds.get(i);
            windows[i] = k.window().wireName();
            starts[i] = k.windowStart().toString();
            features[i] = k.feature();
            meters[i] = k.meter();
        }
        String state;
        String decision;
        String planId = null;
        String recommended = null;
        UUID apiKeyId = null;
        UsageItem item = null;
        switch (answer) {
            case EntitlementDecision.Allowed a -> {
                state = holds.isEmpty() ? "settled" : "held";
                decision = "allowed";
                planId = a.planId();
            }
            case EntitlementDecision.BillingRequired b -> {
                state = "denied";
                decision = "billing_required";
            }
            case EntitlementDecision.QuotaExceeded q -> {
                state = "denied";
                decision = "quota_exceeded";
                planId = q.planId();
                recommended = q.recommendedPlan();
                item = q.item();
            }
            case EntitlementDecision.ApiKeyInvalid k -> {
                state = "denied";
                decision = "key_invalid";
            }
            case EntitlementDecision.ApiKeyQuotaExceeded k -> {
                state = "denied";
                decision = "key_quota_exceeded";
                apiKeyId = k.apiKeyId();
                item = k.item();
            }
        }
        UsageItem i = item;
        String finalState = state;
        String finalDecision = decision;
        String finalPlan = planId;
        String finalRecommended = recommended;
        UUID finalKey = apiKeyId;
        store.statement(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(DECIDE)) {
                statement.setString(1, finalState);
                statement.setString(2, finalDecision);
                statement.setString(3, finalPlan);
                statement.setString(4, finalRecommended);
                statement.setArray(5, connection.createArrayOf("varchar", windows));
                statement.setArray(6, connection.createArrayOf("text", starts));
                statement.setArray(7, connection.createArrayOf("varchar", features));
                statement.setArray(8, connection.createArrayOf("varchar", meters));
                statement.setString(9, i == null ? null : i.feature());
                statement.setString(10, i == null ? null : i.meterEventName());
                statement.setString(11, i == null ? null : i.window().wireName());
                statement.setObject(12, i == null ? null : i.used(), Types.BIGINT);
                statement.setObject(13, i == null ? null : i.limit(), Types.BIGINT);
                statement.setObject(14, i == null ? null : i.reserved(), Types.BIGINT);
                statement.setString(15, i == null ? null : i.upgradePlanId());
                statement.setString(16, utc(at));
                statement.setObject(17, finalKey);
                statement.setString(18, id);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Reservation> release(String id) {
        return store.withContext(dsl -> {
            Optional<Reservation> found = dsl.resultQuery(
                    "select " + COLUMNS + " from reservations where id = ? for update", id)
                    .fetchOptional().map(JooqReservations::toReservation);
            if (found.isPresent() && found.get().state() == State.HELD) {
                dsl.execute("update reservations set state = 'released' where id = ?", id);
            }
            return found;
        });
    }

    @Override
    public List<Reservation> expire(Instant now, int limit) {
        return store.withContext(dsl -> dsl.resultQuery("""
                        update reservations set state = 'expired' where id in (
                            select id from reservations where state = 'held' and expires_at <= ?::timestamptz
                            order by expires_at limit ? for update skip locked)
                        returning\s""" + COLUMNS, utc(now), limit)
                .fetch(JooqReservations::toReservation));
    }

    @Override
    public int forgetFinishedBefore(Instant cutoff, int limit) {
        return store.withContext(dsl -> dsl.execute("""
                delete from reservations where id in (
                    select id from reservations where expires_at < ?::timestamptz and state not in ('held', 'pending') limit ?)""",
                utc(cutoff), limit));
    }

    /** One row of {@link #COLUMNS}, from jOOQ or from JDBC; index 0 is the first column. */
    private interface Row {
        <T> T get(int index, Class<T> type);
    }

    /** The current row of {@code rows}, read on demand; a failure to read is a {@link RowFailed}. */
    private static Row row(ResultSet rows) {
        return new Row() {
            @Override
            public <T> T get(int index, Class<T> type) {
                try {
                    if (type == String[].class) {
                        Array array = rows.getArray(index + 1);
                        return type.cast(array == null ? null : array.getArray());
                    }
                    return rows.getObject(index + 1, type);
                } catch (SQLException e) {
                    throw new RowFailed(e);
                }
            }
        };
    }

    /** A column that could not be read; the SQLException is its cause, for the store to classify. */
    private static final class RowFailed extends RuntimeException {
        RowFailed(SQLException cause) {
            super(cause);
        }
    }

    private static Reservation toReservation(Record r) {
        return toReservation(r::get);
    }

    private static Reservation toReservation(Row r) {
        UUID account = r.get(1, UUID.class);
        String[] windows = r.get(7, String[].class);
        String[] starts = r.get(8, String[].class);
        String[] features = r.get(9, String[].class);
        String[] meters = r.get(10, String[].class);
        List<CounterKey> holds = new ArrayList<>();
        for (int i = 0; windows != null && i < windows.length; i++) {
            holds.add(new CounterKey(account, features[i], meters[i], QuotaWindow.parse(windows[i]).orElseThrow(),
                    OffsetDateTime.parse(starts[i].replace(' ', 'T').replaceFirst("([+-]\\d\\d)$", "$1:00")).toInstant()));
        }
        State state = State.valueOf(r.get(6, String.class).toUpperCase(Locale.ROOT));
        return new Reservation(r.get(0, String.class), account, r.get(2, String.class), r.get(3, String.class),
                r.get(4, Long.class), r.get(5, OffsetDateTime.class).toInstant(), state, holds, answer(r));
    }

    private static EntitlementDecision answer(Row r) {
        String decision = r.get(11, String.class);
        if (decision == null) {
            return null;
        }
        return switch (decision) {
            case "allowed" -> new EntitlementDecision.Allowed(r.get(12, String.class), List.of());
            case "billing_required" -> new EntitlementDecision.BillingRequired();
            case "key_invalid" -> new EntitlementDecision.ApiKeyInvalid();
            default -> {
                QuotaWindow window = QuotaWindow.parse(r.get(16, String.class)).orElseThrow();
                long used = r.get(17, Long.class);
                long limit = r.get(18, Long.class);
                long reserved = r.get(19, Long.class);
                Instant decidedAt = r.get(21, OffsetDateTime.class).toInstant();
                UsageItem item = new UsageItem(r.get(14, String.class), r.get(15, String.class), window, used, limit,
                        Math.max(0, limit - used - reserved), used + reserved >= limit, r.get(20, String.class),
                        window.resetsAt(decidedAt).orElse(null), reserved);
                yield decision.equals("key_quota_exceeded")
                        ? new EntitlementDecision.ApiKeyQuotaExceeded(r.get(22, UUID.class), item)
                        : new EntitlementDecision.QuotaExceeded(r.get(12, String.class), r.get(13, String.class), item);
            }
        };
    }

    private static String utc(Instant i) {
        return i.toString();
    }
}

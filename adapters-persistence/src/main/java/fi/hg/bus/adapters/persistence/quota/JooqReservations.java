package fi.hg.bus.adapters.persistence.quota;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.application.quota.Reservations;
import fi.hg.bus.domain.entitlement.EntitlementDecision;
import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.entitlement.UsageItem;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Reservations in PostgreSQL; the primary key makes a reservation id usable once. */
public final class JooqReservations implements Reservations {

    private static final String COLUMNS = """
            id, account_id, feature, meter, quantity, expires_at, state, hold_windows, hold_starts::text[],
            hold_features, hold_meters, decision, plan_id, recommended_plan, item_feature, item_meter, item_window,
            item_used, item_limit, item_reserved, item_upgrade_plan_id, decided_at, api_key_id""";

    private static final String SETTLE = "update reservations set state = 'settled' "
            + "where id = any(?::varchar[]) and state = 'held' returning " + COLUMNS;

    private final PostgresStore store;

    public JooqReservations(PostgresStore store) {
        this.store = store;
    }

    @Override
    public Optional<Reservation> claim(String id, UUID accountId, String feature, String meter, long quantity, Instant expiresAt) {
        return store.withContext(dsl -> {
            int inserted = dsl.execute("""
                            insert into reservations (id, account_id, feature, meter, quantity, expires_at, state)
                            values (?, ?, ?, ?, ?, ?::timestamptz, 'pending') on conflict (id) do nothing""",
                    id, accountId, feature, meter, quantity, utc(expiresAt));
            if (inserted == 1) {
                return Optional.<Reservation>empty();
            }
            return dsl.resultQuery("select " + COLUMNS + " from reservations where id = ?", id)
                    .fetchOptional().map(JooqReservations::toReservation);
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
        Object[] binds = {state, decision, planId, recommended, text(windows), text(starts), text(features), text(meters),
                i == null ? null : i.feature(), i == null ? null : i.meterEventName(),
                i == null ? null : i.window().wireName(), i == null ? null : i.used(), i == null ? null : i.limit(),
                i == null ? null : i.reserved(), i == null ? null : i.upgradePlanId(), utc(at), apiKeyId, id};
        store.withContext(dsl -> dsl.execute("""
                        update reservations set state = ?, decision = ?, plan_id = ?, recommended_plan = ?,
                            hold_windows = ?::varchar[], hold_starts = ?::text[]::timestamptz[],
                            hold_features = ?::varchar[], hold_meters = ?::varchar[],
                            item_feature = ?, item_meter = ?, item_window = ?, item_used = ?, item_limit = ?,
                            item_reserved = ?, item_upgrade_plan_id = ?, decided_at = ?::timestamptz, api_key_id = ?
                        where id = ?""", binds));
    }

    /**
     * Runs with every recording of usage, so it talks JDBC on the connection jOOQ manages instead
     * of going through a jOOQ plain-SQL query, whose rendering and type inference cost the server
     * several times what the statement itself does (docs/benchmarks.md). Same SQL, same bind.
     */
    @Override
    public List<Reservation> settle(Collection<String> ids) {
        String[] array = ids.toArray(new String[0]);
        return store.withContext(dsl -> dsl.connectionResult(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(SETTLE)) {
                statement.setArray(1, connection.createArrayOf("varchar", array));
                List<Reservation> settled = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    Row row = row(rows);
                    while (rows.next()) {
                        settled.add(toReservation(row));
                    }
                }
                return settled;
            }
        }));
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

    private static org.jooq.Param<String[]> text(String[] values) {
        return DSL.val(values, SQLDataType.VARCHAR.array());
    }
}

package fi.hg.bus.adapters.persistence.quota;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.quota.BillingReads;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.entitlement.Tally;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The account, the active catalog's version and the account's current counters, in one query.
 *
 * <p>This read runs for every entitlement check, the hot path of every proxied request, so it
 * talks JDBC on the connection jOOQ manages (the caller's transaction, or one from the pool)
 * instead of going through a jOOQ plain-SQL query: rendering the template, inferring array types
 * for the binds, reading the result's metadata and building records cost the server about as much
 * CPU as everything else in the request together (docs/benchmarks.md). Same SQL, same binds.
 */
public final class JooqBillingReads implements BillingReads {

    /** The snapshot's columns, and where they come from; a claim of a reservation reads the same (JooqReservations). */
    static final String COLUMNS = """
            a.id, a.status, a.provider, a.plan_id, a.features, a.provider_customer_id, a.provider_subscription_id,
                   (select version from catalogs order by version desc limit 1),
                   q.feature, q.meter, q.window_name, q.window_start, q.used, q.reserved""";
    static final String FROM = """
            from (select ?::uuid as id) k
            left join accounts a on a.id = k.id
            left join quota_counters q on q.account_id = k.id
                and (?::varchar is null or q.feature = ?::varchar)
                and (q.window_name, q.window_start) in (select * from unnest(?::varchar[], ?::text[]::timestamptz[]))""";
    /** How many columns {@link #COLUMNS} has: a statement may add its own after them. */
    static final int COLUMN_COUNT = 14;

    private static final String SNAPSHOT = "select " + COLUMNS + "\n" + FROM;

    private final PostgresStore store;

    public JooqBillingReads(PostgresStore store) {
        this.store = store;
    }

    @Override
    public Snapshot read(UUID accountId, String feature, Instant now) {
        return store.withContext(dsl -> dsl.connectionResult(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(SNAPSHOT)) {
                bind(connection, statement, 1, accountId, feature, now);
                try (ResultSet rows = statement.executeQuery()) {
                    return snapshot(accountId, rows);
                }
            }
        }));
    }

    /** Binds the five parameters of {@link #FROM}, from {@code first} on. */
    static void bind(Connection connection, PreparedStatement statement, int first, UUID accountId, String feature,
                     Instant now) throws SQLException {
        QuotaWindow[] windows = QuotaWindow.values();
        String[] names = new String[windows.length];
        String[] starts = new String[windows.length];
        for (int i = 0; i < windows.length; i++) {
            names[i] = windows[i].wireName();
            starts[i] = windows[i].start(now).toString();
        }
        statement.setObject(first, accountId);
        statement.setString(first + 1, feature);
        statement.setString(first + 2, feature);
        statement.setArray(first + 3, connection.createArrayOf("varchar", names));
        statement.setArray(first + 4, connection.createArrayOf("text", starts));
    }

    /** The snapshot in {@code rows}, whose first {@link #COLUMN_COUNT} columns are {@link #COLUMNS}. */
    static Snapshot snapshot(UUID accountId, ResultSet rows) throws SQLException {
        return rows.next() ? snapshotFromCurrent(accountId, rows) : new Snapshot(Optional.empty(), 0, Map.of());
    }

    /** As {@link #snapshot}, with {@code rows} already on its first row. */
    static Snapshot snapshotFromCurrent(UUID accountId, ResultSet rows) throws SQLException {
        Optional<Subscription> subscription = Optional.empty();
        long version = 0;
        Map<CounterKey, Tally> tallies = new HashMap<>();
        boolean first = true;
        do {
            if (first) {
                first = false;
                if (rows.getObject(1) != null) {
                    Array array = rows.getArray(5);
                    String[] features = array == null ? null : (String[]) array.getArray();
                    subscription = Optional.of(new Subscription(accountId,
                            AccountStatus.fromWireName(rows.getString(2)).orElseThrow(),
                            rows.getString(3), rows.getString(4),
                            features == null ? List.of() : List.of(features),
                            rows.getString(6), rows.getString(7)));
                }
                version = rows.getLong(8); // 0 when null: no catalog yet
            }
            String counterFeature = rows.getString(9);
            if (counterFeature == null) {
                continue;
            }
            CounterKey key = new CounterKey(accountId, counterFeature, rows.getString(10),
                    QuotaWindow.parse(rows.getString(11)).orElseThrow(),
                    rows.getObject(12, OffsetDateTime.class).toInstant());
            tallies.put(key, new Tally(rows.getLong(13), rows.getLong(14)));
        } while (rows.next());
        return new Snapshot(subscription, version, tallies);
    }
}

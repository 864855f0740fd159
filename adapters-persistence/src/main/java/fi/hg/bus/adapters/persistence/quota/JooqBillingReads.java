package fi.hg.bus.adapters.persistence.quota;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.quota.BillingReads;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.CountedWindow;
import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.entitlement.Tally;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
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
                   q.feature, q.meter, q.window_name, q.used, q.reserved""";
    static final String FROM = """
            from (select ?::uuid as id) k
            left join accounts a on a.id = k.id
            left join quota_counters q on q.account_id = k.id
                and (?::varchar is null or q.feature = ?::varchar)
                and (q.window_name, q.window_start) in (select * from unnest(?::varchar[], ?::text[]::timestamptz[]))""";
    /** How many columns {@link #COLUMNS} has: a statement may add its own after them. */
    static final int COLUMN_COUNT = 13;

    private static final String SNAPSHOT = "select " + COLUMNS + "\n" + FROM;

    /**
     * Beyond this many windows a check reads every window of the feature instead: a catalog counts
     * at most six windows per meter, and a feature rarely has more than a few meters.
     */
    static final int MAX_PROBES = 24;
    /** {@link #probeSql} for 0 to {@link #MAX_PROBES} windows, made once. */
    private static final String[] PROBES = new String[MAX_PROBES + 1];

    static {
        for (int n = 0; n <= MAX_PROBES; n++) {
            PROBES[n] = probeSql(n);
        }
    }

    /**
     * The snapshot with the counters of {@code n} given (meter, window, window start) triples: each
     * is one exact lookup on the counters' primary key, where the feature-wide read scans every
     * counter of the account's feature (ended minutes and hours included) once per window.
     */
    static String probeSql(int n) {
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append("""

                from (select ?::uuid as id) k
                left join accounts a on a.id = k.id
                left join quota_counters q on q.account_id = k.id and q.feature = ?::varchar
                    and\s""");
        if (n == 0) {
            sql.append("false");
        } else {
            sql.append("(q.meter, q.window_name, q.window_start) in (");
            for (int i = 0; i < n; i++) {
                sql.append(i == 0 ? "" : ", ").append("(?::varchar, ?::varchar, to_timestamp(?::bigint))");
            }
            sql.append(')');
        }
        return sql.toString();
    }

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
                    return snapshot(accountId, rows, now);
                }
            }
        }));
    }

    @Override
    public Snapshot read(UUID accountId, String feature, List<CountedWindow> windows, Instant now) {
        if (windows.size() > MAX_PROBES) {
            return read(accountId, feature, now);
        }
        return store.withContext(dsl -> dsl.connectionResult(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(PROBES[windows.size()])) {
                statement.setObject(1, accountId);
                statement.setString(2, feature);
                int at = 3;
                for (CountedWindow w : windows) {
                    statement.setString(at++, w.meter());
                    statement.setString(at++, w.window().wireName());
                    statement.setLong(at++, w.window().start(now).getEpochSecond());
                }
                try (ResultSet rows = statement.executeQuery()) {
                    return snapshot(accountId, rows, now);
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
    static Snapshot snapshot(UUID accountId, ResultSet rows, Instant now) throws SQLException {
        return rows.next() ? snapshotFromCurrent(accountId, rows, now) : new Snapshot(Optional.empty(), 0, Map.of());
    }

    /**
     * As {@link #snapshot}, with {@code rows} already on its first row. Every statement that reads
     * a snapshot selects only the counters of the window instances that hold {@code now}, so a
     * counter's start is its window's start at {@code now} and is not parsed from the row.
     */
    static Snapshot snapshotFromCurrent(UUID accountId, ResultSet rows, Instant now) throws SQLException {
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
            QuotaWindow window = QuotaWindow.parse(rows.getString(11)).orElseThrow();
            CounterKey key = new CounterKey(accountId, counterFeature, rows.getString(10), window, window.start(now));
            tallies.put(key, new Tally(rows.getLong(12), rows.getLong(13)));
        } while (rows.next());
        return new Snapshot(subscription, version, tallies);
    }
}

package fi.hg.bus.adapters.persistence.dashboard;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.dashboard.DashboardReads;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.entitlement.Tally;
import fi.hg.bus.domain.keys.ApiKey;
import fi.hg.bus.domain.quota.QuotaWindow;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The key (by its lookup), its use and, when asked, its account's state and counters: one query.
 * This is the dashboard's hot path, so it runs as a plain JDBC prepared statement on the store's
 * connection (pgjdbc prepares it on the server after a few uses) rather than through jOOQ's
 * plain-SQL templates, whose rendering took about half of the server's CPU per request.
 */
public final class JdbcDashboardReads implements DashboardReads {

    static final String KEY_COLUMNS = "k.id, k.account_id, k.name, k.prefix, k.quota_limit, k.expires_at, k.created_at, "
            + "k.revoked_at, k.secret_hash, coalesce(u.used, 0)";

    private static final String KEY_ONLY = "select " + KEY_COLUMNS + " from api_keys k "
            + "left join api_key_usage u on u.key_id = k.id and u.meter = ? where k.lookup = ?";

    private static final String WITH_ACCOUNT = "select " + KEY_COLUMNS + """
            , a.id, a.status, a.provider, a.plan_id, a.features, a.provider_customer_id, a.provider_subscription_id,
                   (select version from catalogs order by version desc limit 1),
                   q.feature, q.window_name, q.window_start, q.used, q.reserved
            from api_keys k
            left join api_key_usage u on u.key_id = k.id and u.meter = ?
            left join accounts a on a.id = k.account_id
            left join quota_counters q on q.account_id = k.account_id and q.meter = ?
                and (q.window_name, q.window_start) in ((?, ?), (?, ?), (?, ?), (?, ?), (?, ?), (?, ?))
            where k.lookup = ?""";

    private final PostgresStore store;

    public JdbcDashboardReads(PostgresStore store) {
        this.store = store;
        if (QuotaWindow.values().length != 6) {
            throw new IllegalStateException("the query names six windows");
        }
    }

    @Override
    public Optional<Snapshot> read(String lookup, String meter, boolean withAccount, Instant now) {
        return store.withContext(dsl -> dsl.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(withAccount ? WITH_ACCOUNT : KEY_ONLY)) {
                int p = 1;
                ps.setString(p++, meter);
                if (withAccount) {
                    ps.setString(p++, meter);
                    for (QuotaWindow w : QuotaWindow.values()) {
                        ps.setString(p++, w.wireName());
                        ps.setObject(p++, OffsetDateTime.ofInstant(w.start(now), ZoneOffset.UTC));
                    }
                }
                ps.setString(p, lookup);
                try (ResultSet rs = ps.executeQuery()) {
                    return withAccount ? withAccount(rs, meter) : keyOnly(rs);
                }
            }
        }));
    }

    private static Optional<Snapshot> keyOnly(ResultSet rs) throws SQLException {
        if (!rs.next()) {
            return Optional.empty();
        }
        return Optional.of(new Snapshot(key(rs), rs.getBytes(9), rs.getLong(10), Optional.empty(), 0, Map.of()));
    }

    private static Optional<Snapshot> withAccount(ResultSet rs, String meter) throws SQLException {
        if (!rs.next()) {
            return Optional.empty();
        }
        ApiKey key = key(rs);
        byte[] hash = rs.getBytes(9);
        long used = rs.getLong(10);
        Optional<Subscription> subscription = Optional.empty();
        if (rs.getObject(11) != null) {
            Array array = rs.getArray(15);
            String[] features = array == null ? null : (String[]) array.getArray();
            subscription = Optional.of(new Subscription(key.accountId(),
                    AccountStatus.fromWireName(rs.getString(12)).orElseThrow(), rs.getString(13), rs.getString(14),
                    features == null ? List.of() : List.of(features), rs.getString(16), rs.getString(17)));
        }
        long version = rs.getLong(18);
        Map<CounterKey, Tally> tallies = new HashMap<>();
        do {
            String feature = rs.getString(19);
            if (feature != null) {
                tallies.put(new CounterKey(key.accountId(), feature, meter, QuotaWindow.parse(rs.getString(20)).orElseThrow(),
                        rs.getObject(21, OffsetDateTime.class).toInstant()), new Tally(rs.getLong(22), rs.getLong(23)));
            }
        } while (rs.next());
        return Optional.of(new Snapshot(key, hash, used, subscription, version, tallies));
    }

    /** The key of the first eight columns. */
    private static ApiKey key(ResultSet rs) throws SQLException {
        long limit = rs.getLong(5);
        Long quotaLimit = rs.wasNull() ? null : limit;
        return new ApiKey(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                quotaLimit, instant(rs, 6), instant(rs, 7), instant(rs, 8));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}

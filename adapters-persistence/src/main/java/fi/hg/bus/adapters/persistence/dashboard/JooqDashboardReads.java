package fi.hg.bus.adapters.persistence.dashboard;

import fi.hg.bus.adapters.persistence.keys.JooqApiKeys;
import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.dashboard.DashboardReads;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.entitlement.Tally;
import fi.hg.bus.domain.keys.ApiKey;
import fi.hg.bus.domain.quota.QuotaWindow;
import org.jooq.Record;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The key (by its lookup), its use and, when asked, its account's state and counters: one query. */
public final class JooqDashboardReads implements DashboardReads {

    private static final String KEY_ONLY = "select " + JooqApiKeys.KEY_COLUMNS + ", k.secret_hash, coalesce(u.used, 0) "
            + "from api_keys k left join api_key_usage u on u.key_id = k.id and u.meter = ? where k.lookup = ?";

    private static final String WITH_ACCOUNT = "select " + JooqApiKeys.KEY_COLUMNS + """
            , k.secret_hash, coalesce(u.used, 0),
                   a.id, a.status, a.provider, a.plan_id, a.features, a.provider_customer_id, a.provider_subscription_id,
                   (select version from catalogs order by version desc limit 1),
                   q.feature, q.window_name, q.window_start, q.used, q.reserved
            from api_keys k
            left join api_key_usage u on u.key_id = k.id and u.meter = ?
            left join accounts a on a.id = k.account_id
            left join quota_counters q on q.account_id = k.account_id and q.meter = ?
                and (q.window_name, q.window_start) in (select * from unnest(?::varchar[], ?::text[]::timestamptz[]))
            where k.lookup = ?""";

    private final PostgresStore store;

    public JooqDashboardReads(PostgresStore store) {
        this.store = store;
    }

    @Override
    public Optional<Snapshot> read(String lookup, String meter, boolean withAccount, Instant now) {
        if (!withAccount) {
            return store.withContext(dsl -> dsl.resultQuery(KEY_ONLY, meter, lookup).fetchOptional(r ->
                    new Snapshot(JooqApiKeys.key(r, 0), r.get(8, byte[].class), r.get(9, Long.class), Optional.empty(), 0,
                            Map.of())));
        }
        QuotaWindow[] windows = QuotaWindow.values();
        String[] names = new String[windows.length];
        String[] starts = new String[windows.length];
        for (int i = 0; i < windows.length; i++) {
            names[i] = windows[i].wireName();
            starts[i] = windows[i].start(now).toString();
        }
        return store.withContext(dsl -> {
            var rows = dsl.resultQuery(WITH_ACCOUNT, meter, meter, names, starts, lookup).fetch();
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            Record first = rows.getFirst();
            ApiKey key = JooqApiKeys.key(first, 0);
            Optional<Subscription> subscription = Optional.empty();
            if (first.get(10) != null) {
                String[] features = first.get(14, String[].class);
                subscription = Optional.of(new Subscription(key.accountId(),
                        AccountStatus.fromWireName(first.get(11, String.class)).orElseThrow(),
                        first.get(12, String.class), first.get(13, String.class),
                        features == null ? List.of() : List.of(features),
                        first.get(15, String.class), first.get(16, String.class)));
            }
            Long version = first.get(17, Long.class);
            Map<CounterKey, Tally> tallies = new HashMap<>();
            for (Record r : rows) {
                if (r.get(18) == null) {
                    continue;
                }
                CounterKey counter = new CounterKey(key.accountId(), r.get(18, String.class), meter,
                        QuotaWindow.parse(r.get(19, String.class)).orElseThrow(), r.get(20, OffsetDateTime.class).toInstant());
                tallies.put(counter, new Tally(r.get(21, Long.class), r.get(22, Long.class)));
            }
            return Optional.of(new Snapshot(key, first.get(8, byte[].class), first.get(9, Long.class), subscription,
                    version == null ? 0 : version, tallies));
        });
    }
}

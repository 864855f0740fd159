package fi.hg.bus.adapters.persistence.quota;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.quota.BillingReads;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.entitlement.Tally;
import org.jooq.Record;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The account, the active catalog's version and the account's current counters, in one query. */
public final class JooqBillingReads implements BillingReads {

    private static final String SNAPSHOT = """
            select a.id, a.status, a.provider, a.plan_id, a.features, a.provider_customer_id, a.provider_subscription_id,
                   (select version from catalogs order by version desc limit 1),
                   q.feature, q.meter, q.window_name, q.window_start, q.used, q.reserved
            from (select ?::uuid as id) k
            left join accounts a on a.id = k.id
            left join quota_counters q on q.account_id = k.id
                and (?::varchar is null or q.feature = ?::varchar)
                and (q.window_name, q.window_start) in (select * from unnest(?::varchar[], ?::text[]::timestamptz[]))""";

    private final PostgresStore store;

    public JooqBillingReads(PostgresStore store) {
        this.store = store;
    }

    @Override
    public Snapshot read(UUID accountId, String feature, Instant now) {
        QuotaWindow[] windows = QuotaWindow.values();
        String[] names = new String[windows.length];
        String[] starts = new String[windows.length];
        for (int i = 0; i < windows.length; i++) {
            names[i] = windows[i].wireName();
            starts[i] = windows[i].start(now).toString();
        }
        return store.withContext(dsl -> {
            var rows = dsl.resultQuery(SNAPSHOT, accountId, feature, feature, names, starts).fetch();
            Record first = rows.getFirst();
            Optional<Subscription> subscription = Optional.empty();
            if (first.get(0) != null) {
                String[] features = first.get(4, String[].class);
                subscription = Optional.of(new Subscription(accountId,
                        AccountStatus.fromWireName(first.get(1, String.class)).orElseThrow(),
                        first.get(2, String.class), first.get(3, String.class),
                        features == null ? List.of() : List.of(features),
                        first.get(5, String.class), first.get(6, String.class)));
            }
            Long version = first.get(7, Long.class);
            Map<CounterKey, Tally> tallies = new HashMap<>();
            for (Record r : rows) {
                if (r.get(8) == null) {
                    continue;
                }
                CounterKey key = new CounterKey(accountId, r.get(8, String.class), r.get(9, String.class),
                        QuotaWindow.parse(r.get(10, String.class)).orElseThrow(),
                        r.get(11, OffsetDateTime.class).toInstant());
                tallies.put(key, new Tally(r.get(12, Long.class), r.get(13, Long.class)));
            }
            return new Snapshot(subscription, version == null ? 0 : version, tallies);
        });
    }
}

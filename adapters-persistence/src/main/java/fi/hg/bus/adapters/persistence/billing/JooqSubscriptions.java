package fi.hg.bus.adapters.persistence.billing;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.billing.Subscriptions;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.Subscription;
import org.jooq.Record;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Accounts and their subscriptions in PostgreSQL. */
public final class JooqSubscriptions implements Subscriptions {

    static final String COLUMNS = "id, status, provider, plan_id, features, provider_customer_id, provider_subscription_id";

    private final PostgresStore store;

    public JooqSubscriptions(PostgresStore store) {
        this.store = store;
    }

    @Override
    public Optional<Subscription> find(UUID accountId) {
        return store.withContext(dsl -> dsl.resultQuery("select " + COLUMNS + " from accounts where id = ?", accountId)
                .fetchOptional().map(JooqSubscriptions::toSubscription));
    }

    @Override
    public void save(Subscription s, Instant at) {
        store.withContext(dsl -> dsl.execute("""
                        insert into accounts (id, status, provider, plan_id, features, provider_customer_id,
                                              provider_subscription_id, created_at, updated_at)
                        values (?, ?, ?, ?, ?::varchar[], ?, ?, ?::timestamptz, ?::timestamptz)
                        on conflict (id) do update set status = excluded.status, provider = excluded.provider,
                            plan_id = excluded.plan_id, features = excluded.features,
                            provider_customer_id = coalesce(excluded.provider_customer_id, accounts.provider_customer_id),
                            provider_subscription_id = coalesce(excluded.provider_subscription_id, accounts.provider_subscription_id),
                            updated_at = excluded.updated_at""",
                s.accountId(), s.status().wireName(), s.provider(), s.planId(),
                s.features().toArray(new String[0]), s.providerCustomerId(), s.providerSubscriptionId(),
                at.toString(), at.toString()));
    }

    @Override
    public boolean markProcessed(String eventId, Instant at) {
        return store.withContext(dsl -> dsl.execute(
                "insert into processed_subscription_updates (event_id, processed_at) values (?, ?::timestamptz) on conflict do nothing",
                eventId, at.toString()) == 1);
    }

    /** Reads the columns of {@link #COLUMNS}, starting at {@code from}. */
    static Subscription toSubscription(Record r) {
        return toSubscription(r, 0);
    }

    static Subscription toSubscription(Record r, int from) {
        String[] features = r.get(from + 4, String[].class);
        return new Subscription(r.get(from, UUID.class),
                AccountStatus.fromWireName(r.get(from + 1, String.class)).orElseThrow(),
                r.get(from + 2, String.class), r.get(from + 3, String.class),
                features == null ? List.of() : List.of(features),
                r.get(from + 5, String.class), r.get(from + 6, String.class));
    }
}

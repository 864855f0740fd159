package fi.hg.bus.adapters.persistence.billing;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.billing.ProviderCustomers;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Accounts' customers at payment providers, in PostgreSQL. */
public final class JooqProviderCustomers implements ProviderCustomers {

    private final PostgresStore store;

    public JooqProviderCustomers(PostgresStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> find(UUID accountId, String provider) {
        return store.withContext(dsl -> dsl.resultQuery(
                "select customer_id from provider_customers where account_id = ? and provider = ?", accountId, provider)
                .fetchOptional(0, String.class));
    }

    @Override
    public String remember(UUID accountId, String provider, String customerId, Instant at) {
        return store.withContext(dsl -> {
            dsl.execute("""
                    insert into provider_customers (account_id, provider, customer_id, created_at)
                    values (?, ?, ?, ?::timestamptz) on conflict do nothing""", accountId, provider, customerId, at.toString());
            return dsl.resultQuery("select customer_id from provider_customers where account_id = ? and provider = ?",
                    accountId, provider).fetchOptional(0, String.class).orElse(customerId);
        });
    }

    @Override
    public Optional<UUID> accountOf(String provider, String customerId) {
        return store.withContext(dsl -> dsl.resultQuery("""
                        select account_id from provider_customers where provider = ? and customer_id = ?
                        union all
                        select id from accounts where provider = ? and provider_customer_id = ?
                        limit 1""", provider, customerId, provider, customerId)
                .fetchOptional(0, UUID.class));
    }
}

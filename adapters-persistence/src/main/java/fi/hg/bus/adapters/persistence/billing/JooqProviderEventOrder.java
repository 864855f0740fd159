package fi.hg.bus.adapters.persistence.billing;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.billing.ProviderEventOrder;

import java.time.Instant;
import java.util.UUID;

/** The newest provider event applied to each account, in PostgreSQL; the row is locked until the caller's transaction ends. */
public final class JooqProviderEventOrder implements ProviderEventOrder {

    private final PostgresStore store;

    public JooqProviderEventOrder(PostgresStore store) {
        this.store = store;
    }

    @Override
    public boolean advance(UUID accountId, String provider, Instant eventAt) {
        return store.withContext(dsl -> dsl.resultQuery("""
                        insert into provider_event_marks (account_id, provider, last_event_at) values (?, ?, ?::timestamptz)
                        on conflict (account_id, provider) do update set last_event_at = excluded.last_event_at
                            where provider_event_marks.last_event_at <= excluded.last_event_at
                        returning 1""", accountId, provider, eventAt.toString())
                .fetchOptional().isPresent());
    }
}

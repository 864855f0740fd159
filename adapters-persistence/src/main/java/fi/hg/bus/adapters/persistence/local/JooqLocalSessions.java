package fi.hg.bus.adapters.persistence.local;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.local.LocalSession;
import fi.hg.bus.application.local.LocalSessions;
import fi.hg.bus.domain.billing.ReturnUrl;
import org.jooq.Record;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** The local provider's sessions in PostgreSQL. */
public final class JooqLocalSessions implements LocalSessions {

    private final PostgresStore store;

    public JooqLocalSessions(PostgresStore store) {
        this.store = store;
    }

    @Override
    public void save(LocalSession s) {
        store.withContext(dsl -> dsl.execute("""
                        insert into local_billing_sessions (id, kind, account_id, feature, plan_id, return_url, created_at, expires_at)
                        values (?, ?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz)
                        on conflict (id) do update set expires_at = greatest(local_billing_sessions.expires_at, excluded.expires_at)""",
                s.id(), s.kind().wireName(), s.accountId(), s.feature(), s.planId(),
                s.returnUrl() == null ? null : s.returnUrl().toString(), s.createdAt().toString(), s.expiresAt().toString()));
    }

    @Override
    public Optional<LocalSession> find(String id) {
        return store.withContext(dsl -> dsl.resultQuery("""
                        select id, kind, account_id, feature, plan_id, return_url, created_at, expires_at
                        from local_billing_sessions where id = ?""", id)
                .fetchOptional().map(JooqLocalSessions::toSession));
    }

    @Override
    public int forgetExpiredBefore(Instant cutoff, int limit) {
        return store.withContext(dsl -> dsl.execute("""
                delete from local_billing_sessions where id = any(array(
                    select id from local_billing_sessions where expires_at < ?::timestamptz limit ?))""",
                cutoff.toString(), limit));
    }

    private static LocalSession toSession(Record r) {
        String returnUrl = r.get(5, String.class);
        return new LocalSession(r.get(0, String.class), LocalSession.Kind.fromWireName(r.get(1, String.class)),
                r.get(2, UUID.class), r.get(3, String.class), r.get(4, String.class),
                returnUrl == null ? null : ReturnUrl.parse(returnUrl),
                r.get(6, OffsetDateTime.class).toInstant(), r.get(7, OffsetDateTime.class).toInstant());
    }
}

package fi.hg.bus.adapters.persistence.identity;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.identity.Identities;
import fi.hg.bus.domain.identity.EmailAddress;
import fi.hg.bus.domain.identity.Identity;
import fi.hg.bus.domain.identity.IdentityStatus;
import org.jooq.Record;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Identities in PostgreSQL; the unique email makes one identity per address. */
public final class JooqIdentities implements Identities {

    private static final String COLUMNS = "id, email, status, email_verified, created_at";

    private final PostgresStore store;

    public JooqIdentities(PostgresStore store) {
        this.store = store;
    }

    @Override
    public Optional<Identity> find(UUID id) {
        return store.withContext(dsl -> dsl.resultQuery("select " + COLUMNS + " from identities where id = ?", id)
                .fetchOptional().map(JooqIdentities::toIdentity));
    }

    @Override
    public Optional<Identity> find(EmailAddress email) {
        return store.withContext(dsl -> dsl.resultQuery("select " + COLUMNS + " from identities where email = ?", email.value())
                .fetchOptional().map(JooqIdentities::toIdentity));
    }

    @Override
    public Optional<Identity> lock(EmailAddress email) {
        return store.withContext(dsl -> dsl.resultQuery("select " + COLUMNS + " from identities where email = ? for update",
                email.value()).fetchOptional().map(JooqIdentities::toIdentity));
    }

    @Override
    public boolean add(Identity identity) {
        return store.withContext(dsl -> dsl.execute("""
                        insert into identities (id, email, status, email_verified, created_at, updated_at)
                        values (?, ?, ?, ?, ?::timestamptz, ?::timestamptz) on conflict (email) do nothing""",
                identity.id(), identity.email().value(), identity.status().wireName(), identity.emailVerified(),
                identity.createdAt().toString(), identity.createdAt().toString()) == 1);
    }

    @Override
    public void save(Identity identity, Instant at) {
        store.withContext(dsl -> dsl.execute(
                "update identities set status = ?, email_verified = ?, updated_at = ?::timestamptz where id = ?",
                identity.status().wireName(), identity.emailVerified(), at.toString(), identity.id()));
    }

    @Override
    public List<Identity> waitlisted(int limit) {
        return store.withContext(dsl -> dsl.resultQuery("select " + COLUMNS
                        + " from identities where status = 'waitlisted' order by created_at, id limit ?", limit)
                .fetch(JooqIdentities::toIdentity));
    }

    private static Identity toIdentity(Record r) {
        return new Identity(r.get(0, UUID.class), new EmailAddress(r.get(1, String.class)),
                IdentityStatus.fromWireName(r.get(2, String.class)).orElseThrow(),
                r.get(3, Boolean.class), r.get(4, OffsetDateTime.class).toInstant());
    }
}

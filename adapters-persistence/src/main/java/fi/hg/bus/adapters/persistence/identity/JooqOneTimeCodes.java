package fi.hg.bus.adapters.persistence.identity;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.identity.OneTimeCodes;
import fi.hg.bus.domain.identity.OneTimeCode;
import org.jooq.Record;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** One-time codes in PostgreSQL: digests only. */
public final class JooqOneTimeCodes implements OneTimeCodes {

    private static final String COLUMNS = "id, identity_id, digest, created_at, expires_at, failed_attempts, state";

    private final PostgresStore store;

    public JooqOneTimeCodes(PostgresStore store) {
        this.store = store;
    }

    @Override
    public List<Instant> issuedSince(UUID identityId, Instant since) {
        return store.withContext(dsl -> dsl.resultQuery(
                        "select created_at from one_time_codes where identity_id = ? and created_at > ?::timestamptz",
                        identityId, since.toString())
                .fetch(r -> r.get(0, OffsetDateTime.class).toInstant()));
    }

    @Override
    public void issue(OneTimeCode code) {
        store.withContext(dsl -> {
            dsl.execute("update one_time_codes set state = 'replaced' where identity_id = ? and state = 'open'",
                    code.identityId());
            return dsl.execute("""
                            insert into one_time_codes (id, identity_id, digest, created_at, expires_at, failed_attempts, state)
                            values (?, ?, ?, ?::timestamptz, ?::timestamptz, ?, ?)""",
                    code.id(), code.identityId(), code.digest(), code.createdAt().toString(), code.expiresAt().toString(),
                    code.failedAttempts(), state(code.state()));
        });
    }

    @Override
    public Optional<OneTimeCode> newest(UUID identityId) {
        return store.withContext(dsl -> dsl.resultQuery("select " + COLUMNS
                        + " from one_time_codes where identity_id = ? order by (state = 'open') desc, created_at desc, id desc limit 1",
                        identityId)
                .fetchOptional().map(JooqOneTimeCodes::toCode));
    }

    @Override
    public void save(OneTimeCode code) {
        store.withContext(dsl -> dsl.execute("update one_time_codes set failed_attempts = ?, state = ? where id = ?",
                code.failedAttempts(), state(code.state()), code.id()));
    }

    @Override
    public int forgetIssuedBefore(Instant before) {
        return store.withContext(dsl -> dsl.execute("delete from one_time_codes where created_at < ?::timestamptz",
                before.toString()));
    }

    private static String state(OneTimeCode.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static OneTimeCode toCode(Record r) {
        return new OneTimeCode(r.get(0, UUID.class), r.get(1, UUID.class), r.get(2, String.class),
                r.get(3, OffsetDateTime.class).toInstant(), r.get(4, OffsetDateTime.class).toInstant(),
                r.get(5, Integer.class), OneTimeCode.State.valueOf(r.get(6, String.class).toUpperCase(Locale.ROOT)));
    }
}

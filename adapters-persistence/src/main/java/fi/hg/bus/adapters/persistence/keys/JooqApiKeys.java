package fi.hg.bus.adapters.persistence.keys;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.keys.ApiKeys;
import fi.hg.bus.domain.keys.ApiKey;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** API keys and their use in PostgreSQL. */
public final class JooqApiKeys implements ApiKeys {

    /** The columns {@link #key(Record, int)} reads, from its offset on. */
    public static final String KEY_COLUMNS = "k.id, k.account_id, k.name, k.prefix, k.quota_limit, k.expires_at, k.created_at, k.revoked_at";
    /** Advisory-lock class of "the keys of one account" (the two-integer lock space, apart from single-key locks). */
    private static final int ACCOUNT_KEYS_LOCK = 0x6b657973;

    private static final String WITH_USE = "select " + KEY_COLUMNS + ", coalesce(u.used, 0) from %s k "
            + "left join api_key_usage u on u.key_id = k.id and u.meter = ? ";

    private final PostgresStore store;

    public JooqApiKeys(PostgresStore store) {
        this.store = store;
    }

    @Override
    public Added add(ApiKey key, String lookup, byte[] secretHash, int maxActive) {
        return store.withContext(dsl -> {
            dsl.resultQuery("select pg_advisory_xact_lock(?, ?)", ACCOUNT_KEYS_LOCK, key.accountId().hashCode()).fetch();
            long active = dsl.resultQuery("select count(*) from api_keys where account_id = ? and revoked_at is null",
                    key.accountId()).fetchOne(0, Long.class);
            if (active >= maxActive) {
                return Added.TOO_MANY;
            }
            int inserted = dsl.execute("""
                            insert into api_keys (id, account_id, name, prefix, lookup, secret_hash, quota_limit, expires_at, created_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz)
                            on conflict (lookup) do nothing""",
                    key.id(), key.accountId(), key.name(), key.prefix(), lookup, secretHash, key.quotaLimit(),
                    text(key.expiresAt()), text(key.createdAt()));
            return inserted == 1 ? Added.ADDED : Added.LOOKUP_TAKEN;
        });
    }

    @Override
    public List<Listed> list(UUID accountId, String meter, int limit) {
        return store.withContext(dsl -> dsl.resultQuery(WITH_USE.formatted("api_keys")
                        + "where k.account_id = ? order by k.created_at desc, k.id limit ?", meter, accountId, limit)
                .fetch(r -> new Listed(key(r, 0), r.get(8, Long.class))));
    }

    @Override
    public Optional<Listed> find(UUID keyId, String meter) {
        return store.withContext(dsl -> dsl.resultQuery(WITH_USE.formatted("api_keys") + "where k.id = ?", meter, keyId)
                .fetchOptional(r -> new Listed(key(r, 0), r.get(8, Long.class))));
    }

    @Override
    public Optional<Listed> revoke(UUID accountId, UUID keyId, Instant at, String meter) {
        return store.withContext(dsl -> dsl.resultQuery("with revoked as (update api_keys set revoked_at = coalesce(revoked_at, ?::timestamptz) "
                        + "where id = ? and account_id = ? returning *) " + WITH_USE.formatted("revoked"),
                text(at), keyId, accountId, meter).fetchOptional(r -> new Listed(key(r, 0), r.get(8, Long.class))));
    }

    /** A key from the {@link #KEY_COLUMNS} of a row, starting at {@code at}. */
    public static ApiKey key(Record r, int at) {
        return new ApiKey(r.get(at, UUID.class), r.get(at + 1, UUID.class), r.get(at + 2, String.class),
                r.get(at + 3, String.class), r.get(at + 4, Long.class), instant(r.get(at + 5, OffsetDateTime.class)),
                instant(r.get(at + 6, OffsetDateTime.class)), instant(r.get(at + 7, OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }
}

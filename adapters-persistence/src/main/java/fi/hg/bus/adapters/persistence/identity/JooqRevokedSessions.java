package fi.hg.bus.adapters.persistence.identity;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.identity.RevokedSessions;

import java.time.Instant;

/** Revoked session tokens in PostgreSQL, by digest, so that every replica refuses them. */
public final class JooqRevokedSessions implements RevokedSessions {

    private final PostgresStore store;

    public JooqRevokedSessions(PostgresStore store) {
        this.store = store;
    }

    @Override
    public void revoke(String tokenDigest, Instant expiresAt) {
        store.withContext(dsl -> dsl.execute("""
                insert into revoked_sessions (token_digest, expires_at) values (?, ?::timestamptz)
                on conflict (token_digest) do nothing""", tokenDigest, expiresAt.toString()));
    }

    @Override
    public boolean isRevoked(String tokenDigest) {
        return store.withContext(dsl -> dsl.fetchExists(
                dsl.selectOne().from("revoked_sessions").where("token_digest = ?", tokenDigest)));
    }

    @Override
    public int forgetExpired(Instant now) {
        return store.withContext(dsl -> dsl.execute("delete from revoked_sessions where expires_at < ?::timestamptz",
                now.toString()));
    }
}

package fi.hg.bus.application.identity;

import java.time.Instant;

/**
 * Session tokens that were signed out before they expired, by digest. Kept in the database, so
 * that every replica refuses them; forgotten once they would have expired anyway.
 */
public interface RevokedSessions {

    void revoke(String tokenDigest, Instant expiresAt);

    boolean isRevoked(String tokenDigest);

    /** Forgets revocations of tokens that have expired by {@code now}; returns how many. */
    int forgetExpired(Instant now);
}

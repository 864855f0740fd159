package fi.hg.bus.application.testing;

import fi.hg.bus.application.identity.RevokedSessions;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Revocations in a map. */
public final class InMemoryRevokedSessions implements RevokedSessions {

    private final Map<String, Instant> revoked = new HashMap<>();

    @Override
    public synchronized void revoke(String tokenDigest, Instant expiresAt) {
        revoked.putIfAbsent(tokenDigest, expiresAt);
    }

    @Override
    public synchronized boolean isRevoked(String tokenDigest) {
        return revoked.containsKey(tokenDigest);
    }

    @Override
    public synchronized int forgetExpired(Instant now) {
        int size = revoked.size();
        revoked.values().removeIf(expires -> expires.isBefore(now));
        return size - revoked.size();
    }

    public synchronized int size() {
        return revoked.size();
    }
}

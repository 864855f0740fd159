package fi.hg.bus.application.identity;

import fi.hg.bus.domain.identity.CodeDigest;

import java.time.Instant;

/** Signs a session out: its token is refused from now on, on every replica, until it would have expired. */
public final class Logout {

    private final RevokedSessions revoked;

    public Logout(RevokedSessions revoked) {
        this.revoked = revoked;
    }

    public void logout(String sessionToken, Instant expiresAt) {
        revoked.revoke(CodeDigest.ofToken(sessionToken), expiresAt);
    }
}

package fi.hg.bus.application.identity;

import fi.hg.bus.domain.identity.CodeDigest;

/** Whether a token of the auth service was signed out. */
public final class CheckRevocation {

    private final RevokedSessions revoked;

    public CheckRevocation(RevokedSessions revoked) {
        this.revoked = revoked;
    }

    public boolean isRevoked(String token) {
        return revoked.isRevoked(CodeDigest.ofToken(token));
    }
}

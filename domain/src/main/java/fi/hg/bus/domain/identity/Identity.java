package fi.hg.bus.domain.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A person known by an email address. Its {@code id} is the account id: the {@code sub} of every
 * token issued to it, and the account that billing and quotas are kept for. The email is never
 * the id, so that an address can change without changing the account.
 */
public record Identity(UUID id, EmailAddress email, IdentityStatus status, boolean emailVerified, Instant createdAt) {

    public Identity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A new registration: waitlisted, or approved at once when the deployment approves everyone. */
    public static Identity register(UUID id, EmailAddress email, boolean autoApprove, Instant now) {
        return new Identity(id, email, autoApprove ? IdentityStatus.APPROVED : IdentityStatus.WAITLISTED, false, now);
    }

    public boolean isApproved() {
        return status == IdentityStatus.APPROVED;
    }

    /** The same identity after a one-time code sent to its address was entered correctly. */
    public Identity verified() {
        return emailVerified ? this : new Identity(id, email, status, true, createdAt);
    }

    public Identity withStatus(IdentityStatus newStatus) {
        return new Identity(id, email, newStatus, emailVerified, createdAt);
    }
}

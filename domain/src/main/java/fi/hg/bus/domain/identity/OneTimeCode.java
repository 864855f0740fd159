package fi.hg.bus.domain.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A one-time code sent to an identity's address, as it is stored: only its digest is kept. It is
 * good once, until it expires, and five wrong tries burn it. A newer code for the same identity
 * replaces it.
 */
public record OneTimeCode(UUID id, UUID identityId, String digest, Instant createdAt, Instant expiresAt,
                          int failedAttempts, State state) {

    /** Wrong tries after which a code can no longer be used, even with the right digits. */
    public static final int MAX_FAILED_ATTEMPTS = 5;
    /** Digits in a code. */
    public static final int DIGITS = 6;

    public enum State {
        /** Can still be used. */
        OPEN,
        /** Was used to sign in. */
        USED,
        /** Took too many wrong tries. */
        BURNED,
        /** A newer code was sent. */
        REPLACED
    }

    public OneTimeCode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(identityId, "identityId");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(state, "state");
        if (failedAttempts < 0) {
            throw new IllegalArgumentException("failedAttempts must not be negative");
        }
    }

    public static OneTimeCode issue(UUID id, UUID identityId, String digest, Instant now, Duration ttl) {
        return new OneTimeCode(id, identityId, digest, now, now.plus(ttl), 0, State.OPEN);
    }

    /** What entering a code did. */
    public sealed interface Attempt {
        /** The code after the attempt, to be stored. */
        OneTimeCode code();

        /** The right code, in time: the code is now used. */
        record Accepted(OneTimeCode code) implements Attempt {
        }

        /** Wrong digits; {@code triesLeft} is 0 when this try burned the code. */
        record Wrong(OneTimeCode code, int triesLeft) implements Attempt {
        }

        /** The code can no longer be used: expired, used, burned or replaced. Nothing changes. */
        record Unusable(OneTimeCode code, Reason reason) implements Attempt {
        }
    }

    public enum Reason { EXPIRED, USED, BURNED, REPLACED }

    /**
     * Tries {@code candidateDigest} (the digest of the digits entered) against this code at
     * {@code now}. The digests are compared in constant time.
     */
    public Attempt attempt(String candidateDigest, Instant now) {
        switch (state) {
            case USED -> {
                return new Attempt.Unusable(this, Reason.USED);
            }
            case BURNED -> {
                return new Attempt.Unusable(this, Reason.BURNED);
            }
            case REPLACED -> {
                return new Attempt.Unusable(this, Reason.REPLACED);
            }
            case OPEN -> {
                // below
            }
        }
        if (!now.isBefore(expiresAt)) {
            return new Attempt.Unusable(this, Reason.EXPIRED);
        }
        if (CodeDigest.sameDigest(digest, candidateDigest)) {
            return new Attempt.Accepted(new OneTimeCode(id, identityId, digest, createdAt, expiresAt, failedAttempts, State.USED));
        }
        int failed = failedAttempts + 1;
        State next = failed >= MAX_FAILED_ATTEMPTS ? State.BURNED : State.OPEN;
        return new Attempt.Wrong(new OneTimeCode(id, identityId, digest, createdAt, expiresAt, failed, next),
                Math.max(0, MAX_FAILED_ATTEMPTS - failed));
    }

    /** Whether {@code text} looks like a code at all: exactly six ASCII digits. */
    public static boolean wellFormed(String text) {
        if (text == null || text.length() != DIGITS) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}

package fi.hg.bus.application.identity;

import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Scopes;
import fi.hg.bus.domain.identity.CodeDigest;
import fi.hg.bus.domain.identity.EmailAddress;
import fi.hg.bus.domain.identity.Identity;
import fi.hg.bus.domain.identity.OneTimeCode;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Exchanges a one-time code for a session token of the auth service ({@code ai.hg.fi/auth}). The
 * right code, in time, used for the first time, verifies the address and signs in; every other
 * try is refused, and a wrong try counts towards burning the code.
 */
public final class VerifyCode {

    /** The scope of a session token. */
    public static final String SESSION_SCOPE = "auth:session";

    public sealed interface Result {
        record Verified(Identity identity, IssuedToken session) implements Result {
            public Verified {
                java.util.Objects.requireNonNull(session, "session");
            }
        }

        /** Refused; {@code triesLeft} is how many wrong tries the code still takes (0 when unusable). */
        record Refused(Reason reason, int triesLeft) implements Result {
        }
    }

    public enum Reason {
        UNKNOWN_EMAIL, NO_CODE, WRONG, BURNED, EXPIRED, USED, REPLACED
    }

    /** What the transaction decided: the verified identity, or the refusal. */
    private record Outcome(Identity verified, Result.Refused refused) {
    }

    private final Transactions transactions;
    private final Identities identities;
    private final OneTimeCodes codes;
    private final CodeDigest digest;
    private final TokenIssuer tokens;
    private final AuthPolicy policy;
    private final Clock clock;

    public VerifyCode(Transactions transactions, Identities identities, OneTimeCodes codes, CodeDigest digest,
                      TokenIssuer tokens, AuthPolicy policy, Clock clock) {
        this.transactions = transactions;
        this.identities = identities;
        this.codes = codes;
        this.digest = digest;
        this.tokens = tokens;
        this.policy = policy;
        this.clock = clock;
    }

    /** @param code six digits (see {@link OneTimeCode#wellFormed}) */
    public Result verify(EmailAddress email, String code) {
        if (!OneTimeCode.wellFormed(code)) {
            throw new IllegalArgumentException("a one-time code is six digits");
        }
        Instant now = clock.instant();
        Outcome outcome = transactions.inTransaction(() -> {
            Optional<Identity> found = identities.lock(email);
            if (found.isEmpty()) {
                return new Outcome(null, new Result.Refused(Reason.UNKNOWN_EMAIL, 0));
            }
            Identity identity = found.get();
            Optional<OneTimeCode> newest = codes.newest(identity.id());
            if (newest.isEmpty()) {
                return new Outcome(null, new Result.Refused(Reason.NO_CODE, 0));
            }
            OneTimeCode stored = newest.get();
            OneTimeCode.Attempt attempt = stored.attempt(digest.of(stored.id(), code), now);
            switch (attempt) {
                case OneTimeCode.Attempt.Accepted accepted -> {
                    codes.save(accepted.code());
                    Identity verified = identity.verified();
                    if (verified != identity) {
                        identities.save(verified, now);
                    }
                    return new Outcome(verified, null);
                }
                case OneTimeCode.Attempt.Wrong wrong -> {
                    codes.save(wrong.code());
                    return new Outcome(null, new Result.Refused(wrong.triesLeft() == 0 ? Reason.BURNED : Reason.WRONG,
                            wrong.triesLeft()));
                }
                case OneTimeCode.Attempt.Unusable unusable -> {
                    return new Outcome(null, new Result.Refused(switch (unusable.reason()) {
                        case EXPIRED -> Reason.EXPIRED;
                        case USED -> Reason.USED;
                        case BURNED -> Reason.BURNED;
                        case REPLACED -> Reason.REPLACED;
                    }, 0));
                }
            }
        });
        if (outcome.refused() != null) {
            return outcome.refused();
        }
        IssuedToken session = tokens.issue(outcome.verified().id().toString(), Audience.AUTH,
                Scopes.of(SESSION_SCOPE), policy.sessionTtl());
        return new Result.Verified(outcome.verified(), session);
    }
}

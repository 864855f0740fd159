package fi.hg.bus.application.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Background tidying: one-time codes older than a day and revocations of tokens that have expired. */
public final class ForgetAuthRecords {

    /** Codes are kept this long (longer than any code lives and any request limit looks back). */
    public static final Duration KEEP_CODES = Duration.ofDays(1);

    private final OneTimeCodes codes;
    private final RevokedSessions revoked;
    private final AuthPolicy policy;
    private final Clock clock;

    public ForgetAuthRecords(OneTimeCodes codes, RevokedSessions revoked, AuthPolicy policy, Clock clock) {
        this.codes = codes;
        this.revoked = revoked;
        this.policy = policy;
        this.clock = clock;
    }

    public void forget() {
        Instant now = clock.instant();
        Duration keep = KEEP_CODES;
        if (policy.codeRequests().window().compareTo(keep) > 0) {
            keep = policy.codeRequests().window();
        }
        if (policy.codeTtl().compareTo(keep) > 0) {
            keep = policy.codeTtl();
        }
        codes.forgetIssuedBefore(now.minus(keep));
        revoked.forgetExpired(now);
    }
}

package fi.hg.bus.application.usage;

import java.time.Clock;
import java.time.Duration;

/**
 * Forgets idempotency keys once they are older than the deduplication period. Records themselves
 * are left to the collectors; only the memory of their keys ends here.
 */
public final class ForgetExpiredEventIds {

    private static final int CHUNK = 10_000;

    private final UsageLedger ledger;
    private final Clock clock;
    private final Duration keptFor;

    public ForgetExpiredEventIds(UsageLedger ledger, Clock clock, Duration keptFor) {
        if (keptFor.isNegative() || keptFor.isZero()) {
            throw new IllegalArgumentException("the deduplication period must be positive");
        }
        this.ledger = ledger;
        this.clock = clock;
        this.keptFor = keptFor;
    }

    /** Returns how many keys were forgotten. */
    public int forget() {
        var cutoff = clock.instant().minus(keptFor);
        int total = 0;
        int n;
        do {
            n = ledger.forgetEventIdsSeenBefore(cutoff, CHUNK);
            total += n;
        } while (n == CHUNK);
        return total;
    }
}

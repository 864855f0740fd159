package fi.hg.bus.application.export;

import java.time.Clock;
import java.time.Duration;

/** Forgets exports the provider accepted long ago, in small batches. */
public final class ForgetOldExports {

    private static final int BATCH = 5000;

    private final UsageExports exports;
    private final Clock clock;
    private final Duration keep;

    public ForgetOldExports(UsageExports exports, Clock clock, Duration keep) {
        this.exports = exports;
        this.clock = clock;
        this.keep = keep;
    }

    /** Returns how many were forgotten. */
    public int forget() {
        int total = 0;
        int n;
        do {
            n = exports.forgetExportedBefore(clock.instant().minus(keep), BATCH);
            total += n;
        } while (n == BATCH);
        return total;
    }
}

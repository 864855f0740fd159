package fi.hg.bus.application.quota;

import fi.hg.bus.application.storage.Transactions;

import java.time.Clock;
import java.time.Duration;

/**
 * Releases reservations whose time has run out. Every replica runs it; each reservation is
 * expired by exactly one of them.
 */
public final class ExpireReservations {

    private static final int CHUNK = 500;
    /** Finished reservations are kept this long after their expiry, so that replays still get their answer. */
    public static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(2);

    private final Transactions transactions;
    private final Reservations reservations;
    private final QuotaCounters counters;
    private final Clock clock;

    public ExpireReservations(Transactions transactions, Reservations reservations, QuotaCounters counters, Clock clock) {
        this.transactions = transactions;
        this.reservations = reservations;
        this.counters = counters;
        this.clock = clock;
    }

    /** Returns how many reservations were released. */
    public int expire() {
        int total = 0;
        int n;
        do {
            var now = clock.instant();
            n = transactions.inTransaction(() -> {
                var expired = reservations.expire(now, CHUNK);
                counters.apply(Holds.release(expired));
                return expired.size();
            });
            total += n;
        } while (n == CHUNK);
        var cutoff = clock.instant().minus(KEPT_AFTER_EXPIRY);
        transactions.inTransaction(() -> reservations.forgetFinishedBefore(cutoff, 10_000));
        return total;
    }
}

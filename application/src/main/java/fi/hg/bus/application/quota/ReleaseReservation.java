package fi.hg.bus.application.quota;

import fi.hg.bus.application.storage.Transactions;

import java.util.Optional;

/** Releases what a reservation holds, when the work it was made for will not happen. */
public final class ReleaseReservation {

    public sealed interface Result {
        /** The reservation held quantity, and now holds none. */
        record Released(Reservations.Reservation reservation) implements Result {
        }

        /** The reservation holds nothing (already settled, released, expired, or denied). */
        record NotHeld(Reservations.Reservation reservation) implements Result {
        }

        record Unknown() implements Result {
        }
    }

    private final Transactions transactions;
    private final Reservations reservations;
    private final QuotaCounters counters;

    public ReleaseReservation(Transactions transactions, Reservations reservations, QuotaCounters counters) {
        this.transactions = transactions;
        this.reservations = reservations;
        this.counters = counters;
    }

    public Result release(String id) {
        return transactions.inTransaction(() -> {
            Optional<Reservations.Reservation> found = reservations.release(id);
            if (found.isEmpty()) {
                return new Result.Unknown();
            }
            Reservations.Reservation r = found.get();
            if (r.state() != Reservations.State.HELD) {
                return new Result.NotHeld(r);
            }
            counters.apply(Holds.release(r));
            return new Result.Released(r);
        });
    }
}

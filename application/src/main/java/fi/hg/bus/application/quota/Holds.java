package fi.hg.bus.application.quota;

import java.util.List;

/** The counter changes that give back what a reservation holds. */
final class Holds {

    private Holds() {
    }

    static List<QuotaCounters.Delta> release(Reservations.Reservation r) {
        return r.holds().stream().map(k -> new QuotaCounters.Delta(k, 0, -r.quantity())).toList();
    }

    static List<QuotaCounters.Delta> release(List<Reservations.Reservation> rs) {
        return rs.stream().flatMap(r -> release(r).stream()).toList();
    }
}

package fi.hg.bus.application.testing;

import fi.hg.bus.application.quota.BillingReads;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.application.quota.QuotaCounters;
import fi.hg.bus.application.quota.Reservations;
import fi.hg.bus.domain.entitlement.EntitlementDecision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reservations by id, with the answer each first got. */
public final class InMemoryReservations implements Reservations {

    private final Map<String, Reservation> byId = new LinkedHashMap<>();
    private final QuotaCounters counters;
    private final BillingReads reads;

    /** Reservations whose holds go into {@code counters}; a claim reads through {@code reads}. */
    public InMemoryReservations(QuotaCounters counters, BillingReads reads) {
        this.counters = counters;
        this.reads = reads;
    }

    @Override
    public synchronized Claim claim(String id, UUID accountId, String feature, String meter, long quantity,
                                    Instant expiresAt, Instant now) {
        Reservation existing = byId.get(id);
        if (existing != null) {
            return new Claim.Taken(Optional.of(existing));
        }
        byId.put(id, new Reservation(id, accountId, feature, meter, quantity, expiresAt, State.PENDING, List.of(), null));
        return new Claim.Claimed(reads.read(accountId, feature, now));
    }

    @Override
    public synchronized void decide(String id, EntitlementDecision answer, List<CounterKey> holds, Instant at) {
        Reservation r = byId.get(id);
        State state = answer instanceof EntitlementDecision.Allowed ? (holds.isEmpty() ? State.SETTLED : State.HELD) : State.DENIED;
        byId.put(id, new Reservation(id, r.accountId(), r.feature(), r.meter(), r.quantity(), r.expiresAt(), state,
                List.copyOf(holds), answer));
        if (state == State.HELD) {
            counters.apply(holds.stream().map(k -> new QuotaCounters.Delta(k, 0, r.quantity())).toList());
        }
    }

    /** What the usage ledger does when it stores records (see {@code InMemoryUsageLedger}). */
    public synchronized List<Reservation> settle(Collection<String> ids) {
        List<Reservation> settled = new ArrayList<>();
        for (String id : ids) {
            Reservation r = byId.get(id);
            if (r != null && r.state() == State.HELD) {
                Reservation s = with(r, State.SETTLED);
                byId.put(id, s);
                settled.add(s);
            }
        }
        return settled;
    }

    @Override
    public synchronized Optional<Reservation> release(String id) {
        Reservation r = byId.get(id);
        if (r != null && r.state() == State.HELD) {
            byId.put(id, with(r, State.RELEASED));
        }
        return Optional.ofNullable(r);
    }

    @Override
    public synchronized List<Reservation> expire(Instant now, int limit) {
        List<Reservation> due = byId.values().stream()
                .filter(r -> r.state() == State.HELD && !r.expiresAt().isAfter(now))
                .sorted(Comparator.comparing(Reservation::expiresAt)).limit(limit).toList();
        List<Reservation> expired = new ArrayList<>();
        for (Reservation r : due) {
            Reservation e = with(r, State.EXPIRED);
            byId.put(r.id(), e);
            expired.add(e);
        }
        return expired;
    }

    @Override
    public synchronized int forgetFinishedBefore(Instant cutoff, int limit) {
        List<String> gone = byId.values().stream()
                .filter(r -> r.state() != State.HELD && r.state() != State.PENDING && r.expiresAt().isBefore(cutoff))
                .map(Reservation::id).limit(limit).toList();
        gone.forEach(byId::remove);
        return gone.size();
    }

    public synchronized Optional<Reservation> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    private static Reservation with(Reservation r, State state) {
        return new Reservation(r.id(), r.accountId(), r.feature(), r.meter(), r.quantity(), r.expiresAt(), state, r.holds(),
                r.answer());
    }
}

package fi.hg.bus.application.quota;

import fi.hg.bus.domain.entitlement.EntitlementDecision;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reservations made by entitlement checks, with the answer each first got. A reservation is
 * settled by the usage ledger when it stores a record whose key is the reservation's id
 * ({@code UsageLedger#record}).
 */
public interface Reservations {

    enum State { PENDING, HELD, DENIED, SETTLED, RELEASED, EXPIRED }

    /**
     * @param quantity held per window in {@code holds}
     * @param answer   the decision the first check got; null while pending
     */
    record Reservation(String id, UUID accountId, String feature, String meter, long quantity, Instant expiresAt,
                       State state, List<CounterKey> holds, EntitlementDecision answer) {
    }

    /**
     * Claims {@code id} for a new check (state pending) and answers empty; when the id is taken,
     * answers the existing reservation instead, after any transaction still deciding it has ended.
     */
    Optional<Reservation> claim(String id, UUID accountId, String feature, String meter, long quantity, Instant expiresAt);

    /**
     * Records the answer of a claimed reservation, given at {@code at}, and what it holds (nothing
     * when denied): when it holds counters, the reservation's quantity joins their reserved
     * quantity, atomically with the answer. The caller has locked those counters.
     */
    void decide(String id, EntitlementDecision answer, List<CounterKey> holds, Instant at);

    /** Marks a held reservation released; answers it as it was, or empty when unknown. */
    Optional<Reservation> release(String id);

    /** Marks at most {@code limit} held reservations past their expiry as expired (skipping those locked elsewhere). */
    List<Reservation> expire(Instant now, int limit);

    /** Forgets finished reservations that expired before {@code cutoff}. */
    int forgetFinishedBefore(Instant cutoff, int limit);
}

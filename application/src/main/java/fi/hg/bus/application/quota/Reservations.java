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

    /** What became of a claim. */
    sealed interface Claim {
        /**
         * The id was free and is now this check's (pending); {@code snapshot} is what
         * {@link BillingReads#read} answers for the account and feature, read in the same step.
         */
        record Claimed(BillingReads.Snapshot snapshot) implements Claim {
        }

        /**
         * The id was taken: the reservation that holds it, after any transaction still deciding it
         * has ended (empty only if it was forgotten in the meantime).
         */
        record Taken(Optional<Reservation> existing) implements Claim {
        }
    }

    /**
     * Claims {@code id} for a new check (state pending) and, in the same round trip, reads what the
     * check decides on (the account, the catalog version and its counters of {@code feature} at
     * {@code now}); when the id is taken, answers the existing reservation instead.
     */
    Claim claim(String id, UUID accountId, String feature, String meter, long quantity, Instant expiresAt, Instant now);

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

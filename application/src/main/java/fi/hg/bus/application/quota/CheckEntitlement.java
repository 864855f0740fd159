package fi.hg.bus.application.quota;

import fi.hg.bus.application.catalog.Catalogs;
import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.entitlement.EntitlementDecision;
import fi.hg.bus.domain.entitlement.Entitlements;
import fi.hg.bus.domain.entitlement.Tally;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * May this account do this work now? Without a reservation the answer is read in one round trip.
 * With one, the quantity is held in every matching window at once, under row locks taken in one
 * global order, so that concurrent callers on any replica can never together pass a limit; a
 * repeated reservation id gets the first answer and holds nothing more.
 */
public final class CheckEntitlement {

    /**
     * @param meter         the meter the work is measured in, or null
     * @param quantity      how much the work will use; 0 when not said
     * @param reservationId the caller's request id to hold the quantity under, or null
     */
    public record Command(UUID accountId, String feature, String meter, long quantity, String reservationId,
                          Duration reservationTtl) {
        public Command {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(feature, "feature");
            if (quantity < 0) {
                throw new IllegalArgumentException("quantity must not be negative");
            }
        }
    }

    public sealed interface Result {
        /** The decision, and whether it is the stored answer of an earlier check with the same reservation id. */
        record Decided(EntitlementDecision decision, boolean replayed) implements Result {
        }

        /** The reservation id was used before for another account or feature; nothing was decided. */
        record ReservationIdTaken(String reservationId) implements Result {
        }
    }

    private final Transactions transactions;
    private final BillingReads reads;
    private final Catalogs catalogs;
    private final QuotaCounters counters;
    private final Reservations reservations;
    private final Clock clock;

    public CheckEntitlement(Transactions transactions, BillingReads reads, Catalogs catalogs, QuotaCounters counters,
                            Reservations reservations, Clock clock) {
        this.transactions = transactions;
        this.reads = reads;
        this.catalogs = catalogs;
        this.counters = counters;
        this.reservations = reservations;
        this.clock = clock;
    }

    public Result check(Command command) {
        Instant now = clock.instant();
        if (command.reservationId() == null) {
            BillingReads.Snapshot snapshot = reads.read(command.accountId(), command.feature(), now);
            return new Result.Decided(decide(command, snapshot, now, tallies(command.accountId(), snapshot.tallies(), now)), false);
        }
        return transactions.inTransaction(() -> reserve(command, now));
    }

    private Result reserve(Command command, Instant now) {
        var existing = reservations.claim(command.reservationId(), command.accountId(), command.feature(),
                command.meter(), command.quantity(), now.plus(command.reservationTtl()));
        if (existing.isPresent()) {
            Reservations.Reservation r = existing.get();
            if (!r.accountId().equals(command.accountId()) || !r.feature().equals(command.feature())) {
                return new Result.ReservationIdTaken(command.reservationId());
            }
            return new Result.Decided(r.answer(), true);
        }
        BillingReads.Snapshot snapshot = reads.read(command.accountId(), command.feature(), now);
        EntitlementDecision decision = decide(command, snapshot, now, tallies(command.accountId(), snapshot.tallies(), now));
        List<CounterKey> holds = List.of();
        if (decision instanceof EntitlementDecision.Allowed allowed && command.quantity() > 0 && !allowed.matching().isEmpty()) {
            List<CounterKey> keys = allowed.matching().stream().map(r -> CounterKey.of(command.accountId(), r, now)).toList();
            Map<CounterKey, Tally> locked = counters.lock(keys);
            decision = decide(command, snapshot, now, tallies(command.accountId(), locked, now));
            if (decision instanceof EntitlementDecision.Allowed) {
                List<QuotaCounters.Delta> deltas = new ArrayList<>(keys.size());
                keys.forEach(k -> deltas.add(new QuotaCounters.Delta(k, 0, command.quantity())));
                counters.apply(deltas);
                holds = keys;
            }
        }
        reservations.decide(command.reservationId(), decision, holds, now);
        return new Result.Decided(decision, false);
    }

    private EntitlementDecision decide(Command command, BillingReads.Snapshot snapshot, Instant now,
                                       Function<QuotaRule, Tally> tallies) {
        Subscription subscription = snapshot.subscription().orElseGet(() -> Subscription.missing(command.accountId()));
        return Entitlements.decide(subscription, catalogs.at(snapshot.catalogVersion()), command.feature(),
                command.meter(), command.quantity(), tallies, now);
    }

    private static Function<QuotaRule, Tally> tallies(UUID accountId, Map<CounterKey, Tally> values, Instant now) {
        return rule -> values.getOrDefault(CounterKey.of(accountId, rule, now), Tally.ZERO);
    }
}

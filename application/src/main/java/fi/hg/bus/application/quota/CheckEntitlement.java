package fi.hg.bus.application.quota;

import fi.hg.bus.application.catalog.CatalogStore;
import fi.hg.bus.application.catalog.Catalogs;
import fi.hg.bus.application.keys.ApiKeys;
import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.CountedWindow;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.entitlement.EntitlementDecision;
import fi.hg.bus.domain.entitlement.Entitlements;
import fi.hg.bus.domain.entitlement.Tally;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * May this account do this work now? Without a reservation the answer is read in one round trip
 * (two right after another replica put a catalog that counts a window more for the feature).
 * With one, the quantity is held in every matching window at once, under row locks taken in one
 * global order, so that concurrent callers on any replica can never together pass a limit; a
 * repeated reservation id gets the first answer and holds nothing more.
 *
 * <p>A check that names an API key is also refused when that key is unknown, another account's,
 * revoked or expired ({@code api_key_invalid}, before anything else), and when the account would
 * be allowed but the key's own limit is spent ({@code api_key_quota_exceeded}). Reading the key
 * is one more round trip, made only for checks that name one.
 */
public final class CheckEntitlement {

    /**
     * @param meter         the meter the work is measured in, or null
     * @param quantity      how much the work will use; 0 when not said
     * @param reservationId the caller's request id to hold the quantity under, or null
     * @param apiKeyId      the API key the work is done with, or null
     */
    public record Command(UUID accountId, String feature, String meter, long quantity, String reservationId,
                          Duration reservationTtl, UUID apiKeyId) {
        public Command {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(feature, "feature");
            if (quantity < 0) {
                throw new IllegalArgumentException("quantity must not be negative");
            }
        }

        /** A check that names no API key. */
        public Command(UUID accountId, String feature, String meter, long quantity, String reservationId,
                       Duration reservationTtl) {
            this(accountId, feature, meter, quantity, reservationId, reservationTtl, null);
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
    private final ApiKeys keys;
    private final String keyMeter;
    private final Clock clock;

    /**
     * @param keyMeter the meter that API keys' own limits count
     */
    public CheckEntitlement(Transactions transactions, BillingReads reads, Catalogs catalogs, QuotaCounters counters,
                            Reservations reservations, ApiKeys keys, String keyMeter, Clock clock) {
        this.transactions = transactions;
        this.reads = reads;
        this.catalogs = catalogs;
        this.counters = counters;
        this.reservations = reservations;
        this.keys = keys;
        this.keyMeter = keyMeter;
        this.clock = clock;
    }

    public Result check(Command command) {
        Instant now = clock.instant();
        if (command.reservationId() == null) {
            BillingReads.Snapshot snapshot = read(command.accountId(), command.feature(), now);
            EntitlementDecision decision = decide(command, snapshot, now, tallies(command.accountId(), snapshot.tallies(), now));
            return new Result.Decided(withKey(command, decision, key(command), now), false);
        }
        return transactions.inTransaction(() -> reserve(command, now));
    }

    /**
     * The account and the counters its decision can need, in one round trip: the counters of the
     * windows that the catalog this process knows counts for the feature. When the store reports
     * another catalog version in the same read (a catalog was put since), and that catalog counts
     * a window that was not read, the account is read again with every window of the feature:
     * a decision is never made on counters that were not read.
     */
    private BillingReads.Snapshot read(UUID accountId, String feature, Instant now) {
        CatalogStore.StoredCatalog known = catalogs.known();
        List<CountedWindow> windows = known.catalog().countedWindows(feature);
        BillingReads.Snapshot snapshot = reads.read(accountId, feature, windows, now);
        if (snapshot.catalogVersion() != known.version()
                && !windows.containsAll(catalogs.at(snapshot.catalogVersion()).countedWindows(feature))) {
            return reads.read(accountId, feature, now);
        }
        return snapshot;
    }

    /** The key the check names, read once; null when it names none, empty when there is no such key. */
    private Optional<ApiKeys.Listed> key(Command command) {
        return command.apiKeyId() == null ? null : keys.find(command.apiKeyId(), keyMeter);
    }

    /** An invalid key refuses first; then the account's refusal stands; then the key's own limit. */
    @SuppressWarnings("OptionalAssignedToNull")
    private EntitlementDecision withKey(Command command, EntitlementDecision account, Optional<ApiKeys.Listed> key,
                                        Instant now) {
        if (key == null) {
            return account;
        }
        if (key.isEmpty()) {
            return new EntitlementDecision.ApiKeyInvalid();
        }
        Optional<EntitlementDecision> refusal = key.get().key().refusal(command.accountId(), command.feature(),
                command.meter(), command.quantity(), keyMeter, key.get().used(), now);
        if (refusal.isPresent() && refusal.get() instanceof EntitlementDecision.ApiKeyInvalid) {
            return refusal.get();
        }
        if (!(account instanceof EntitlementDecision.Allowed)) {
            return account;
        }
        return refusal.orElse(account);
    }

    private Result reserve(Command command, Instant now) {
        BillingReads.Snapshot snapshot;
        switch (reservations.claim(command.reservationId(), command.accountId(), command.feature(),
                command.meter(), command.quantity(), now.plus(command.reservationTtl()), now)) {
            case Reservations.Claim.Claimed claimed -> snapshot = claimed.snapshot();
            case Reservations.Claim.Taken taken when taken.existing().isPresent() -> {
                Reservations.Reservation r = taken.existing().get();
                if (!r.accountId().equals(command.accountId()) || !r.feature().equals(command.feature())) {
                    return new Result.ReservationIdTaken(command.reservationId());
                }
                return new Result.Decided(r.answer(), true);
            }
            case Reservations.Claim.Taken vanished -> snapshot = reads.read(command.accountId(), command.feature(), now);
        }
        Optional<ApiKeys.Listed> key = key(command);
        EntitlementDecision decision = withKey(command,
                decide(command, snapshot, now, tallies(command.accountId(), snapshot.tallies(), now)), key, now);
        List<CounterKey> holds = List.of();
        if (decision instanceof EntitlementDecision.Allowed allowed && command.quantity() > 0 && !allowed.matching().isEmpty()) {
            List<CounterKey> keys = allowed.matching().stream().map(r -> CounterKey.of(command.accountId(), r, now)).toList();
            Map<CounterKey, Tally> locked = counters.lock(keys);
            decision = withKey(command, decide(command, snapshot, now, tallies(command.accountId(), locked, now)), key, now);
            if (decision instanceof EntitlementDecision.Allowed) {
                holds = keys; // decide() adds the quantity to these counters
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

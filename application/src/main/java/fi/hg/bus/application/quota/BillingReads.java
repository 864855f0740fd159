package fi.hg.bus.application.quota;

import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.entitlement.Tally;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** What a decision about one account needs, read in one round trip. */
public interface BillingReads {

    /**
     * @param subscription   empty for an account never seen
     * @param catalogVersion the active catalog's version at the time of the read (0: none)
     * @param tallies        the account's counters in the windows that hold {@code now}
     */
    record Snapshot(Optional<Subscription> subscription, long catalogVersion, Map<CounterKey, Tally> tallies) {
    }

    /** Reads the account's subscription and its counters of {@code feature} (null: every feature) at {@code now}. */
    Snapshot read(UUID accountId, String feature, Instant now);
}

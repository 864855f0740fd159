package fi.hg.bus.application.quota;

import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.CountedWindow;
import fi.hg.bus.domain.entitlement.Tally;

import java.time.Instant;
import java.util.List;
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

    /**
     * As {@link #read(UUID, String, Instant)}, but reads only the counters of {@code feature} in
     * {@code windows} (each in its instance that holds {@code now}): the entitlement check names
     * the windows its catalog counts, so that the store looks up exactly those counters.
     */
    Snapshot read(UUID accountId, String feature, List<CountedWindow> windows, Instant now);
}

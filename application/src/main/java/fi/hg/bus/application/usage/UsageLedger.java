package fi.hg.bus.application.usage;

import fi.hg.bus.domain.usage.FeedPage;
import fi.hg.bus.domain.usage.FeedSelector;
import fi.hg.bus.domain.usage.UsageRecord;

import java.time.Instant;
import java.util.List;

/** Where usage records are kept for collectors, together with the idempotency keys ever seen. */
public interface UsageLedger {

    /**
     * Stores the records whose idempotency key was never seen (or that have none), remembering
     * their keys as seen at {@code seenAt}. The keys of {@code records} are distinct.
     *
     * @return the positions in {@code records} of the records that were stored, ascending
     */
    List<Integer> append(List<UsageRecord> records, Instant seenAt);

    FeedPage page(FeedSelector selector);

    /** Deletes exactly the records that {@link #page} returns for the same selector. */
    int deletePage(FeedSelector selector);

    /** Forgets at most {@code limit} idempotency keys first seen before {@code cutoff}. */
    int forgetEventIdsSeenBefore(Instant cutoff, int limit);
}

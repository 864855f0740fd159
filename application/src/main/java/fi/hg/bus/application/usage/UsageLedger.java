package fi.hg.bus.application.usage;

import fi.hg.bus.domain.usage.FeedPage;
import fi.hg.bus.domain.usage.FeedSelector;
import fi.hg.bus.domain.usage.UsageRecord;

import java.time.Instant;
import java.util.BitSet;
import java.util.List;

/** Where usage records are kept for collectors, together with the idempotency keys ever seen. */
public interface UsageLedger {

    /**
     * Stores the records whose idempotency key was never seen (or that have none), remembering
     * their keys as seen at {@code seenAt}. The keys of {@code records} are distinct.
     *
     * @param stampedAtReceipt the positions of records whose time is their time of receipt (the
     *                         caller gave none): the ledger may move such a time later, past the
     *                         collector feed's watermark, so that a drain in progress never sees
     *                         them appear inside its selection
     * @return the positions in {@code records} of the records that were stored, ascending
     */
    List<Integer> append(List<UsageRecord> records, BitSet stampedAtReceipt, Instant seenAt);

    /** Stores records whose times were all given by their senders; see {@link #append(List, BitSet, Instant)}. */
    default List<Integer> append(List<UsageRecord> records, Instant seenAt) {
        return append(records, new BitSet(), seenAt);
    }

    FeedPage page(FeedSelector selector);

    /** Deletes exactly the records that {@link #page} returns for the same selector. */
    int deletePage(FeedSelector selector);

    /** Forgets at most {@code limit} idempotency keys first seen before {@code cutoff}. */
    int forgetEventIdsSeenBefore(Instant cutoff, int limit);
}

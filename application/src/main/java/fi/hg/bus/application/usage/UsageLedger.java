package fi.hg.bus.application.usage;

import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.domain.usage.FeedPage;
import fi.hg.bus.domain.usage.FeedSelector;
import fi.hg.bus.domain.usage.UsageRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Where usage records are kept for collectors, together with the idempotency keys ever seen, and
 * everything that storing a record changes: the quota counters, the reservations it settles, the
 * export queue and the use of the API key it names.
 */
public interface UsageLedger {

    /**
     * A record to store, with what storing it changes besides the feed. The effects are worked out
     * before anyone knows whether the record will be stored (its key may have been seen before);
     * the ledger applies them only when it stores the record.
     *
     * @param stampedAtReceipt whether the record's time is its time of receipt (the caller gave
     *                         none): the ledger may move such a time later, past the collector
     *                         feed's watermark, so that a drain in progress never sees it appear
     *                         inside its selection
     * @param metered          the record's meter quantities (empty when it is not billed)
     * @param apiKeyId         the API key the record names, or null: every metered quantity counts
     *                         against that key too, when the key belongs to the record's account
     *                         (or the record names no account)
     */
    record Entry(UsageRecord record, boolean stampedAtReceipt, List<Metered> metered, UUID apiKeyId) {
        public Entry {
            Objects.requireNonNull(record, "record");
            metered = List.copyOf(metered);
        }
    }

    /**
     * One metered quantity of a record. When the record names an account it is queued for export
     * under {@code exportKey} (null: the queue makes a unique key) with the time {@code at}, and
     * counted in {@code counters}: one counter per window, of which only the windows that some plan
     * of the active catalog has a quota for are counted. Without an account, {@code counters} is
     * empty and nothing is exported.
     */
    record Metered(String feature, String meter, long quantity, String exportKey, Instant at, List<CounterKey> counters) {
        public Metered {
            Objects.requireNonNull(feature, "feature");
            Objects.requireNonNull(meter, "meter");
            Objects.requireNonNull(at, "at");
            counters = List.copyOf(counters);
        }
    }

    /**
     * Stores the records whose idempotency key was never seen (or that have none), remembering
     * their keys as seen at {@code seenAt}, and, for exactly those records, atomically with them:
     * settles the held reservations whose id is a stored record's key (their held quantity leaves
     * the counters they hold), adds the metered quantities to the counted windows, queues the
     * exports and counts the API keys' use. The keys of {@code entries} are distinct. All of it
     * happens or none of it; a record seen before changes nothing.
     *
     * @return the positions in {@code entries} of the records that were stored, ascending
     */
    List<Integer> record(List<Entry> entries, Instant seenAt);

    /** Stores records that carry no metered quantity and name no API key; see {@link #record}. */
    default List<Integer> append(List<UsageRecord> records, BitSet stampedAtReceipt, Instant seenAt) {
        List<Entry> entries = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            entries.add(new Entry(records.get(i), stampedAtReceipt.get(i), List.of(), null));
        }
        return record(entries, seenAt);
    }

    /** Stores records whose times were all given by their senders; see {@link #record}. */
    default List<Integer> append(List<UsageRecord> records, Instant seenAt) {
        return append(records, new BitSet(), seenAt);
    }

    FeedPage page(FeedSelector selector);

    /** Deletes exactly the records that {@link #page} returns for the same selector. */
    int deletePage(FeedSelector selector);

    /** Forgets at most {@code limit} idempotency keys first seen before {@code cutoff}. */
    int forgetEventIdsSeenBefore(Instant cutoff, int limit);
}

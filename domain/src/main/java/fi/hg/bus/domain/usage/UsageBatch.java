package fi.hg.bus.domain.usage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The records of one recording request, with repeats of an idempotency key inside the request
 * already folded into their first occurrence: the store only ever sees distinct keys.
 */
public final class UsageBatch {

    /** The most records one request may carry. */
    public static final int MAX_RECORDS = 10_000;

    private final List<UsageRecord> distinct;
    private final int repeatedInBatch;

    private UsageBatch(List<UsageRecord> distinct, int repeatedInBatch) {
        this.distinct = distinct;
        this.repeatedInBatch = repeatedInBatch;
    }

    public static UsageBatch of(List<UsageRecord> records) {
        if (records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("a batch holds at most " + MAX_RECORDS + " records");
        }
        List<UsageRecord> distinct = new ArrayList<>(records.size());
        Set<String> seen = new HashSet<>();
        int repeated = 0;
        for (UsageRecord record : records) {
            if (record.hasEventId() && !seen.add(record.eventId())) {
                repeated++;
            } else {
                distinct.add(record);
            }
        }
        return new UsageBatch(List.copyOf(distinct), repeated);
    }

    /** The records to offer to the store, in request order, each key at most once. */
    public List<UsageRecord> distinctRecords() {
        return distinct;
    }

    /** How many records repeated a key seen earlier in the same request. */
    public int repeatedInBatch() {
        return repeatedInBatch;
    }

    public int size() {
        return distinct.size() + repeatedInBatch;
    }
}

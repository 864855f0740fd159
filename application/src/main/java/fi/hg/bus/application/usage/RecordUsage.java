package fi.hg.bus.application.usage;

import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.domain.export.ExportKey;
import fi.hg.bus.domain.metering.ExportPolicy;
import fi.hg.bus.domain.metering.MeteredUsage;
import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.usage.UsageBatch;
import fi.hg.bus.domain.usage.UsageData;
import fi.hg.bus.domain.usage.UsageEventType;
import fi.hg.bus.domain.usage.UsageRecord;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Records usage reported by a trusted service: all records of a request or none, each idempotency
 * key stored at most once, ever (for as long as keys are kept). Atomically with the records, the
 * export policy turns each newly stored record into meter quantity, which is counted once in the
 * account's quota counters and queued once for export to the payment provider (never waiting for
 * the provider), and a record whose key names a held reservation settles it. A record whose
 * {@code data.api_key_id} names an API key counts against that key too, in every meter it is
 * metered in.
 *
 * <p>The use case works out every effect of every record first, then hands all of it to the
 * ledger in one call, which the ledger applies in one atomic step (in PostgreSQL: one statement,
 * one round trip). No transaction is opened around that call: a lone statement is a transaction
 * of its own, and an explicit one would only add a COMMIT round trip to every recording.
 */
public final class RecordUsage {

    /** A record as submitted; {@code occurredAt} is null when the caller did not say, meaning "now". */
    public record Submitted(String eventId, UsageEventType type, UUID accountId, Instant occurredAt, UsageData data) {
        public Submitted {
            Objects.requireNonNull(type, "type");
        }
    }

    public record Command(List<Submitted> records) {
        public Command {
            records = List.copyOf(records);
        }
    }

    /** How many records were stored now, and how many had been seen before. */
    public record Recorded(int accepted, int duplicates) {
    }

    private static final QuotaWindow[] WINDOWS = QuotaWindow.values();

    private final UsageLedger ledger;
    private final ExportPolicy policy;
    private final Clock clock;

    public RecordUsage(UsageLedger ledger, ExportPolicy policy, Clock clock) {
        this.ledger = ledger;
        this.policy = policy;
        this.clock = clock;
    }

    public Recorded record(Command command) {
        Instant receivedAt = clock.instant();
        List<UsageRecord> records = new ArrayList<>(command.records().size());
        Set<UsageRecord> defaulted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Submitted s : command.records()) {
            Instant occurredAt = s.occurredAt() == null ? receivedAt : s.occurredAt();
            UsageRecord record = new UsageRecord(s.eventId(), s.type(), s.accountId(), occurredAt, s.data());
            records.add(record);
            if (s.occurredAt() == null) {
                defaulted.add(record);
            }
        }
        UsageBatch batch = UsageBatch.of(records);
        List<UsageRecord> distinct = batch.distinctRecords();
        List<UsageLedger.Entry> entries = new ArrayList<>(distinct.size());
        for (UsageRecord r : distinct) {
            UUID apiKeyId = apiKeyId(r);
            List<UsageLedger.Metered> metered = r.accountId() == null && apiKeyId == null
                    ? List.of() : metered(r, receivedAt);
            entries.add(new UsageLedger.Entry(r, defaulted.contains(r), metered, apiKeyId));
        }
        int accepted = ledger.record(entries, receivedAt).size();
        return new Recorded(accepted, batch.size() - accepted);
    }

    /**
     * The record's metered quantities, each with the counters of every window it falls in; a
     * future time counts as now. An export's key comes from the record's {@code event_id}; a record
     * without one gets a unique key from the queue.
     */
    private List<UsageLedger.Metered> metered(UsageRecord r, Instant receivedAt) {
        List<MeteredUsage> usage = policy.meter(r);
        if (usage.isEmpty()) {
            return List.of();
        }
        Instant at = r.occurredAt().isAfter(receivedAt) ? receivedAt : r.occurredAt();
        List<UsageLedger.Metered> metered = new ArrayList<>(usage.size());
        for (MeteredUsage m : usage) {
            List<CounterKey> counters;
            if (r.accountId() == null) {
                counters = List.of();
            } else {
                CounterKey[] keys = new CounterKey[WINDOWS.length];
                for (int i = 0; i < WINDOWS.length; i++) {
                    keys[i] = new CounterKey(r.accountId(), m.feature(), m.meter(), WINDOWS[i], WINDOWS[i].start(at));
                }
                counters = List.of(keys);
            }
            metered.add(new UsageLedger.Metered(m.feature(), m.meter(), m.quantity(),
                    r.hasEventId() ? ExportKey.of(r.eventId(), m.feature(), m.meter()) : null, at, counters));
        }
        return metered;
    }

    /** The API key a record names in {@code data.api_key_id}; null when none, or when the value is not a UUID. */
    static UUID apiKeyId(UsageRecord r) {
        if (r.data() == null) {
            return null;
        }
        return r.data().text("api_key_id").filter(RecordUsage::isUuidText).map(UUID::fromString).orElse(null);
    }

    /** Whether {@code t} is a UUID in its 8-4-4-4-12 hexadecimal form (without a regular expression: this runs per record). */
    static boolean isUuidText(String t) {
        if (t.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = t.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}

package fi.hg.bus.application.usage;

import fi.hg.bus.application.export.UsageExports;
import fi.hg.bus.application.keys.ApiKeys;
import fi.hg.bus.domain.export.ExportKey;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.application.quota.QuotaCounters;
import fi.hg.bus.application.quota.Reservations;
import fi.hg.bus.application.storage.Transactions;
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
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Records usage reported by a trusted service: all records of a request or none, each idempotency
 * key stored at most once, ever (for as long as keys are kept). In the same transaction, the
 * export policy turns each newly stored record into meter quantity, which is counted once in the
 * account's quota counters and queued once for export to the payment provider (never waiting for
 * the provider), and a record whose key names a held reservation settles it. A record whose
 * {@code data.api_key_id} names an API key counts against that key too, in every meter it is
 * metered in.
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

    private final Transactions transactions;
    private final UsageLedger ledger;
    private final ExportPolicy policy;
    private final QuotaCounters counters;
    private final Reservations reservations;
    private final ApiKeys keys;
    private final UsageExports exports;
    private final Clock clock;

    public RecordUsage(Transactions transactions, UsageLedger ledger, ExportPolicy policy, QuotaCounters counters,
                       Reservations reservations, ApiKeys keys, UsageExports exports, Clock clock) {
        this.transactions = transactions;
        this.ledger = ledger;
        this.policy = policy;
        this.counters = counters;
        this.reservations = reservations;
        this.keys = keys;
        this.exports = exports;
        this.clock = clock;
    }

    public Recorded record(Command command) {
        Instant receivedAt = clock.instant();
        List<UsageRecord> records = new ArrayList<>(command.records().size());
        java.util.Set<UsageRecord> defaulted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
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
        BitSet stamped = new BitSet(distinct.size());
        for (int i = 0; i < distinct.size(); i++) {
            if (defaulted.contains(distinct.get(i))) {
                stamped.set(i);
            }
        }
        int accepted = transactions.inTransaction(() -> {
            List<Integer> stored = ledger.append(distinct, stamped, receivedAt);
            Map<CounterKey, long[]> deltas = new HashMap<>();
            Map<ApiKeys.Use, long[]> keyUses = new HashMap<>();
            List<String> eventIds = new ArrayList<>();
            List<UsageExports.NewExport> toExport = new ArrayList<>();
            for (int position : stored) {
                UsageRecord r = distinct.get(position);
                if (r.hasEventId()) {
                    eventIds.add(r.eventId());
                }
                UUID apiKeyId = apiKeyId(r);
                if (r.accountId() == null && apiKeyId == null) {
                    continue;
                }
                List<MeteredUsage> metered = policy.meter(r);
                if (r.accountId() != null) {
                    count(r, metered, receivedAt, deltas, toExport);
                }
                if (apiKeyId != null) {
                    for (MeteredUsage m : metered) {
                        keyUses.computeIfAbsent(new ApiKeys.Use(apiKeyId, r.accountId(), m.meter(), 0), x -> new long[1])[0]
                                += m.quantity();
                    }
                }
            }
            if (!toExport.isEmpty()) {
                exports.enqueue(toExport, receivedAt);
            }
            if (!keyUses.isEmpty()) {
                List<ApiKeys.Use> uses = new ArrayList<>(keyUses.size());
                keyUses.forEach((u, q) -> uses.add(new ApiKeys.Use(u.keyId(), u.accountId(), u.meter(), q[0])));
                keys.count(uses);
            }
            if (!eventIds.isEmpty()) {
                for (Reservations.Reservation settled : reservations.settle(eventIds)) {
                    for (CounterKey k : settled.holds()) {
                        deltas.computeIfAbsent(k, x -> new long[2])[1] -= settled.quantity();
                    }
                }
            }
            if (!deltas.isEmpty()) {
                List<QuotaCounters.Delta> changes = new ArrayList<>(deltas.size());
                deltas.forEach((k, d) -> changes.add(new QuotaCounters.Delta(k, d[0], d[1])));
                counters.apply(changes);
            }
            return stored.size();
        });
        return new Recorded(accepted, batch.size() - accepted);
    }

    /** The API key a record names in {@code data.api_key_id}; null when none, or when the value is not a UUID. */
    static UUID apiKeyId(UsageRecord r) {
        if (r.data() == null) {
            return null;
        }
        return r.data().text("api_key_id").filter(t -> UUID_TEXT.matcher(t).matches()).map(UUID::fromString).orElse(null);
    }

    private static final java.util.regex.Pattern UUID_TEXT =
            java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * Adds the record's metered quantity to every window it falls in, and to the exports; a future
     * time counts as now. An export's key comes from the record's {@code event_id}; a record
     * without one gets a unique key from the queue.
     */
    private void count(UsageRecord r, List<MeteredUsage> metered, Instant receivedAt, Map<CounterKey, long[]> deltas,
                       List<UsageExports.NewExport> toExport) {
        Instant at = r.occurredAt().isAfter(receivedAt) ? receivedAt : r.occurredAt();
        for (MeteredUsage m : metered) {
            toExport.add(new UsageExports.NewExport(r.hasEventId() ? ExportKey.of(r.eventId(), m.feature(), m.meter()) : null,
                    r.accountId(), m.feature(), m.meter(), m.quantity(), at));
            for (QuotaWindow w : QuotaWindow.values()) {
                CounterKey key = new CounterKey(r.accountId(), m.feature(), m.meter(), w, w.start(at));
                deltas.computeIfAbsent(key, x -> new long[2])[0] += m.quantity();
            }
        }
    }
}

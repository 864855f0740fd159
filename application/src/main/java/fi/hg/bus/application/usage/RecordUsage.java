package fi.hg.bus.application.usage;

import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.usage.UsageBatch;
import fi.hg.bus.domain.usage.UsageEventType;
import fi.hg.bus.domain.usage.UsageRecord;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Records usage reported by a trusted service: all records of a request or none, each idempotency
 * key stored at most once, ever (for as long as keys are kept).
 */
public final class RecordUsage {

    /** A record as submitted; {@code occurredAt} is null when the caller did not say, meaning "now". */
    public record Submitted(String eventId, UsageEventType type, UUID accountId, Instant occurredAt, String dataJson) {
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
    private final Clock clock;

    public RecordUsage(Transactions transactions, UsageLedger ledger, Clock clock) {
        this.transactions = transactions;
        this.ledger = ledger;
        this.clock = clock;
    }

    public Recorded record(Command command) {
        Instant receivedAt = clock.instant();
        List<UsageRecord> records = new ArrayList<>(command.records().size());
        for (Submitted s : command.records()) {
            Instant occurredAt = s.occurredAt() == null ? receivedAt : s.occurredAt();
            records.add(new UsageRecord(s.eventId(), s.type(), s.accountId(), occurredAt, s.dataJson()));
        }
        UsageBatch batch = UsageBatch.of(records);
        if (batch.distinctRecords().isEmpty()) {
            return new Recorded(0, batch.repeatedInBatch());
        }
        List<Integer> stored = transactions.inTransaction(() -> ledger.append(batch.distinctRecords(), receivedAt));
        int accepted = stored.size();
        return new Recorded(accepted, batch.size() - accepted);
    }
}

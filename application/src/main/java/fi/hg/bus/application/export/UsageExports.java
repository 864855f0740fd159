package fi.hg.bus.application.export;

import fi.hg.bus.domain.export.ExportState;
import fi.hg.bus.domain.export.UsageExport;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The durable queue of usage exports, shared by every replica. Exports are queued by the usage
 * ledger, in the statement that stores their records ({@code UsageLedger#record}).
 */
public interface UsageExports {

    /**
     * Metered usage to export.
     *
     * @param key the idempotency key, or null to have the queue make a unique one
     */
    record NewExport(String key, UUID accountId, String feature, String meter, long quantity, Instant occurredAt) {
    }

    /** Which exports to list: of one account (null: all), in some states (empty: all), newest first. */
    record Selection(UUID accountId, List<ExportState> states, int limit) {
        public Selection {
            states = List.copyOf(states);
        }
    }

    /**
     * Up to {@code limit} exports that are due at {@code now}, oldest first, locked until the
     * caller's transaction ends. Rows another transaction holds are skipped, never waited for.
     */
    List<UsageExport> claimDue(Instant now, int limit);

    void markExported(long id, String provider, Instant at);

    /** Records a failed attempt; {@code nextAttemptAt} null gives the export up. */
    void markFailed(long id, String provider, int attempts, String reason, Instant nextAttemptAt);

    List<UsageExport> list(Selection selection);

    /** How many exports are in each state, of one account or (null) of all. */
    Map<ExportState, Long> counts(UUID accountId);

    /** Forgets at most {@code limit} exports that were exported before {@code cutoff}. */
    int forgetExportedBefore(Instant cutoff, int limit);
}

package fi.hg.bus.application.export;

import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.export.RetryPolicy;
import fi.hg.bus.domain.export.UsageExport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Works the export queue once: claims the exports that are due (rows locked, rows other replicas
 * hold skipped), sends each to the provider under its idempotency key, and records the outcome in
 * the same transaction. A failure is tried again later by the retry policy; an exported key is
 * never claimed again. A pass that has taken longer than its budget (a slow provider) leaves the
 * rest of its rows as they were, so that no transaction holds rows for long.
 */
public final class ExportUsage {

    private static final Logger LOG = Logger.getLogger(ExportUsage.class.getName());
    private static final int MAX_REASON = 1000;

    /** What one pass did. */
    public record Pass(int exported, int failed) {
        public int total() {
            return exported + failed;
        }
    }

    private final Transactions transactions;
    private final UsageExports exports;
    private final UsageExporter exporter;
    private final RetryPolicy retry;
    private final Clock clock;
    private final int batchSize;
    private final Duration budget;

    public ExportUsage(Transactions transactions, UsageExports exports, UsageExporter exporter, RetryPolicy retry,
                       Clock clock, int batchSize, Duration budget) {
        if (batchSize < 1 || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("batchSize and budget must be positive");
        }
        this.budget = budget;
        this.transactions = transactions;
        this.exports = exports;
        this.exporter = exporter;
        this.retry = retry;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    public Pass exportDue() {
        return exportDue(() -> false);
    }

    /**
     * As {@link #exportDue()}, but a pass asked to stop (the server is shutting down) takes no row
     * after the one it is sending: the rows it claimed and did not reach are released unchanged when
     * its transaction ends, for another replica to take.
     */
    public Pass exportDue(java.util.function.BooleanSupplier stop) {
        return transactions.inTransaction(() -> {
            Instant start = clock.instant();
            List<UsageExport> due = exports.claimDue(start, batchSize);
            int exported = 0;
            int failed = 0;
            for (UsageExport export : due) {
                if (stop.getAsBoolean() || clock.instant().isAfter(start.plus(budget))) {
                    break;
                }
                UsageExporter.Outcome outcome;
                try {
                    outcome = exporter.export(export);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "exporting usage " + export.key() + " failed unexpectedly", e);
                    outcome = new UsageExporter.Outcome.Failed("unexpected failure (" + e.getClass().getSimpleName() + ")");
                }
                Instant now = clock.instant();
                switch (outcome) {
                    case UsageExporter.Outcome.Accepted a -> {
                        exports.markExported(export.id(), exporter.provider(), now);
                        exported++;
                    }
                    case UsageExporter.Outcome.Failed f -> {
                        int attempts = export.attempts() + 1;
                        Instant next = retry.nextAttempt(attempts, now).orElse(null);
                        exports.markFailed(export.id(), exporter.provider(), attempts, cut(f.reason()), next);
                        failed++;
                        if (next == null) {
                            LOG.warning("usage export " + export.key() + " given up after " + attempts + " attempts: " + f.reason());
                        }
                    }
                }
            }
            return new Pass(exported, failed);
        });
    }

    private static String cut(String reason) {
        String r = reason == null || reason.isBlank() ? "unknown reason" : reason;
        return r.length() > MAX_REASON ? r.substring(0, MAX_REASON - 1) + "…" : r;
    }
}

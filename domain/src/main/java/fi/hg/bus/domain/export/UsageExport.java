package fi.hg.bus.domain.export;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Metered usage of one account waiting for, or done with, its export to the payment provider.
 *
 * @param key           the idempotency key: the provider is asked to accept it at most once
 * @param nextAttemptAt when the export is tried (again); null when it is exported or given up
 * @param lastError     why the last attempt failed, or null
 * @param provider      the provider that accepted it, or that the last attempt went to; null before any
 * @param exportedAt    when the provider accepted it, or null
 */
public record UsageExport(long id, String key, UUID accountId, String feature, String meter, long quantity,
                          Instant occurredAt, ExportState state, int attempts, Instant nextAttemptAt, String lastError,
                          String provider, Instant createdAt, Instant exportedAt) {

    public UsageExport {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(state, "state");
    }

    /** Whether it will be tried again by itself. */
    public boolean willRetry() {
        return state != ExportState.EXPORTED && nextAttemptAt != null;
    }
}

package fi.hg.bus.domain.usage;

import java.time.Instant;
import java.util.UUID;

/** A usage record as the collector feed shows it: the stored record with its storage id. */
public record StoredUsageEvent(long id, String eventId, Instant occurredAt, UUID accountId, UsageEventType type,
                               String dataJson) {
}

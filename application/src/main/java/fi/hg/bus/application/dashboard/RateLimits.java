package fi.hg.bus.application.dashboard;

import fi.hg.bus.domain.dashboard.RateLimit;

import java.time.Instant;
import java.util.UUID;

/** Requests counted per key in fixed windows, shared by every replica. */
public interface RateLimits {

    /**
     * @param windowEnd when the window the request was counted in ends: when a refused caller may try again
     */
    record Admission(boolean admitted, Instant windowEnd) {
    }

    /** Counts one request of {@code keyId} in the window of {@code limit} that holds {@code now}. */
    Admission admit(UUID keyId, RateLimit limit, Instant now);
}

package fi.hg.bus.application.billing;

import java.time.Instant;
import java.util.UUID;

/** The time of the newest provider event applied to each account. */
public interface ProviderEventOrder {

    /**
     * Moves the account's mark to {@code eventAt} unless a newer event was applied; returns false
     * (and changes nothing) when {@code eventAt} is older than the mark.
     */
    boolean advance(UUID accountId, String provider, Instant eventAt);
}

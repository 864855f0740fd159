package fi.hg.bus.application.billing;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Each account's customer at a payment provider, created once and remembered. */
public interface ProviderCustomers {

    Optional<String> find(UUID accountId, String provider);

    /**
     * Remembers the account's customer unless one is remembered already; returns the one that is
     * remembered now (the first, when two were made at once).
     */
    String remember(UUID accountId, String provider, String customerId, Instant at);

    /** The account a provider's customer belongs to. */
    Optional<UUID> accountOf(String provider, String customerId);
}

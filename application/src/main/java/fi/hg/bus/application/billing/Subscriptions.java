package fi.hg.bus.application.billing;

import fi.hg.bus.domain.billing.Subscription;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Accounts and their subscriptions. */
public interface Subscriptions {

    Optional<Subscription> find(UUID accountId);

    /** Stores the subscription, creating the account on first contact. */
    void save(Subscription subscription, Instant at);

    /** Remembers a provider update's id; false when it was seen before. */
    boolean markProcessed(String eventId, Instant at);
}

package fi.hg.bus.application.testing;

import fi.hg.bus.application.billing.Subscriptions;
import fi.hg.bus.domain.billing.Subscription;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Subscriptions by account, and the provider update ids already applied. */
public final class InMemorySubscriptions implements Subscriptions {

    private final Map<UUID, Subscription> byAccount = new HashMap<>();
    private final Set<String> processed = new HashSet<>();

    @Override
    public synchronized Optional<Subscription> find(UUID accountId) {
        return Optional.ofNullable(byAccount.get(accountId));
    }

    @Override
    public synchronized void save(Subscription subscription, Instant at) {
        byAccount.put(subscription.accountId(), subscription);
    }

    @Override
    public synchronized boolean markProcessed(String eventId, Instant at) {
        return processed.add(eventId);
    }
}

package fi.hg.bus.application.billing;

import fi.hg.bus.application.catalog.Catalogs;
import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.billing.SubscriptionUpdate;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.Plan;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Takes one event from the payment provider's webhook: verifies it, finds the account (from the
 * event's metadata, else from the customer), the plan (from the price's lookup key, else from the
 * metadata) and applies it as a subscription update, once per event id. An event older than one
 * already applied to the account is recorded as seen and changes nothing, so that events arriving
 * out of order cannot undo a newer state.
 */
public final class ReceiveProviderEvent {

    private static final Logger LOG = Logger.getLogger(ReceiveProviderEvent.class.getName());

    public sealed interface Result {
        /** Not a genuine event: the signature is missing, wrong or too old. */
        record Rejected(String reason) implements Result {
        }

        /** Genuine, and of no concern here. */
        record Ignored(String eventId, String why) implements Result {
        }

        record Applied(String eventId, UUID accountId) implements Result {
        }

        /** Seen before: nothing changed. */
        record Duplicate(String eventId) implements Result {
        }

        /** Older than an event already applied to the account: recorded, nothing changed. */
        record Stale(String eventId) implements Result {
        }
    }

    private final Transactions transactions;
    private final ProviderEvents events;
    private final Catalogs catalogs;
    private final Subscriptions subscriptions;
    private final ProviderCustomers customers;
    private final ProviderEventOrder order;
    private final ApplySubscriptionUpdate applyUpdate;
    private final Clock clock;

    public ReceiveProviderEvent(Transactions transactions, ProviderEvents events, Catalogs catalogs,
                                Subscriptions subscriptions, ProviderCustomers customers, ProviderEventOrder order,
                                ApplySubscriptionUpdate applyUpdate, Clock clock) {
        this.transactions = transactions;
        this.events = events;
        this.catalogs = catalogs;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.order = order;
        this.applyUpdate = applyUpdate;
        this.clock = clock;
    }

    public Result receive(String payload, String signatureHeader) {
        return switch (events.read(payload, signatureHeader)) {
            case ProviderEvents.Event.Unverified u -> new Result.Rejected(u.reason());
            case ProviderEvents.Event.Unhandled u -> new Result.Ignored(u.eventId(), "event type " + u.type() + " is not handled");
            case ProviderEvents.Event.SubscriptionReport r -> apply(r);
        };
    }

    private Result apply(ProviderEvents.Event.SubscriptionReport r) {
        String provider = events.provider();
        Catalog catalog = catalogs.reload().catalog();
        Instant now = clock.instant();
        return transactions.inTransaction(() -> {
            UUID accountId = r.accountId();
            if (accountId == null && r.customerId() != null) {
                accountId = customers.accountOf(provider, r.customerId()).orElse(null);
            }
            if (accountId == null) {
                LOG.info("provider event " + r.eventId() + " (" + r.type() + ") names no account of ours; ignored");
                return new Result.Ignored(r.eventId(), "no account for this customer");
            }
            if (r.customerId() != null) {
                customers.remember(accountId, provider, r.customerId(), now);
            }
            Instant at = r.createdAt() == null ? now : r.createdAt();
            if (!order.advance(accountId, provider, at)) {
                return subscriptions.markProcessed(r.eventId(), now)
                        ? new Result.Stale(r.eventId())
                        : new Result.Duplicate(r.eventId());
            }
            String planId = planOf(catalog, provider, r).orElse(null);
            if (planId == null) {
                planId = subscriptions.find(accountId).map(Subscription::planId).orElse(null);
            }
            var outcome = applyUpdate.apply(new SubscriptionUpdate(r.eventId(), accountId, provider, r.status(),
                    r.customerId(), r.subscriptionId(), planId, r.features()));
            return outcome == ApplySubscriptionUpdate.Outcome.APPLIED
                    ? new Result.Applied(r.eventId(), accountId)
                    : new Result.Duplicate(r.eventId());
        });
    }

    /** The plan whose price mapping has one of the event's lookup keys, else the plan the event names. */
    private static Optional<String> planOf(Catalog catalog, String provider, ProviderEvents.Event.SubscriptionReport r) {
        for (Plan plan : catalog.plans()) {
            Map<String, String> mapping = plan.providerMappings().get(provider);
            if (mapping != null && mapping.get("price_lookup_key") != null
                    && r.priceLookupKeys().contains(mapping.get("price_lookup_key"))) {
                return Optional.of(plan.id());
            }
        }
        return Optional.ofNullable(r.planId());
    }
}

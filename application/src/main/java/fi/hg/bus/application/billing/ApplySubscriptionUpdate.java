package fi.hg.bus.application.billing;

import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.billing.SubscriptionUpdate;

import java.time.Clock;

/** Applies a provider's subscription update once: a repeated {@code event_id} changes nothing. */
public final class ApplySubscriptionUpdate {

    public enum Outcome { APPLIED, DUPLICATE }

    private final Transactions transactions;
    private final Subscriptions subscriptions;
    private final Clock clock;

    public ApplySubscriptionUpdate(Transactions transactions, Subscriptions subscriptions, Clock clock) {
        this.transactions = transactions;
        this.subscriptions = subscriptions;
        this.clock = clock;
    }

    public Outcome apply(SubscriptionUpdate update) {
        var now = clock.instant();
        return transactions.inTransaction(() -> {
            if (!subscriptions.markProcessed(update.eventId(), now)) {
                return Outcome.DUPLICATE;
            }
            subscriptions.save(update.toSubscription(), now);
            return Outcome.APPLIED;
        });
    }
}

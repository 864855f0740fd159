package fi.hg.bus.application.billing;

import fi.hg.bus.application.catalog.Catalogs;
import fi.hg.bus.application.quota.BillingReads;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.domain.entitlement.BillingStatus;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.entitlement.Tally;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** An account's billing state, plan, features and every quota window with its next step. */
public final class GetBillingStatus {

    private final BillingReads reads;
    private final Catalogs catalogs;
    private final Clock clock;

    public GetBillingStatus(BillingReads reads, Catalogs catalogs, Clock clock) {
        this.reads = reads;
        this.catalogs = catalogs;
        this.clock = clock;
    }

    public BillingStatus status(UUID accountId) {
        Instant now = clock.instant();
        BillingReads.Snapshot snapshot = reads.read(accountId, null, now);
        Catalog catalog = catalogs.at(snapshot.catalogVersion());
        Subscription subscription = snapshot.subscription().orElseGet(() -> Subscription.missing(accountId));
        return BillingStatus.of(subscription, catalog.plan(subscription.planId()),
                rule -> snapshot.tallies().getOrDefault(CounterKey.of(accountId, rule, now), Tally.ZERO), now);
    }
}

package fi.hg.bus.application.billing;

import fi.hg.bus.application.catalog.Catalogs;
import fi.hg.bus.application.quota.BillingReads;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.domain.billing.ReturnUrl;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.entitlement.BillingStatus;
import fi.hg.bus.domain.entitlement.Tally;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Opens the payment provider's hosted checkout for an account: the plans that offer the feature,
 * with the plan asked for (or the upgrade of a spent quota) first in line.
 */
public final class OpenCheckout {

    /**
     * @param feature   the feature to buy, or null for any
     * @param planId    the plan to buy, or null to let the account holder choose
     * @param returnUrl where to go afterwards, or null
     */
    public record Command(UUID accountId, String feature, String planId, ReturnUrl returnUrl) {
        public Command {
            Objects.requireNonNull(accountId, "accountId");
        }
    }

    public sealed interface Result {
        record Opened(URI url, String provider) implements Result {
        }

        /** The request cannot be served as asked; {@code field} names the request field at fault. */
        record Rejected(String field, String problem) implements Result {
        }
    }

    private final BillingReads reads;
    private final Catalogs catalogs;
    private final PaymentProvider provider;
    private final Clock clock;

    public OpenCheckout(BillingReads reads, Catalogs catalogs, PaymentProvider provider, Clock clock) {
        this.reads = reads;
        this.catalogs = catalogs;
        this.provider = provider;
        this.clock = clock;
    }

    public Result open(Command command) {
        Instant now = clock.instant();
        UUID accountId = command.accountId();
        BillingReads.Snapshot snapshot = reads.read(accountId, null, now);
        Catalog catalog = catalogs.at(snapshot.catalogVersion());
        Subscription current = snapshot.subscription().orElseGet(() -> Subscription.missing(accountId));
        List<Plan> choices = command.feature() == null ? catalog.plans() : catalog.plansOffering(command.feature());
        Plan plan = null;
        Plan suggested = null;
        if (command.planId() != null) {
            plan = catalog.plan(command.planId()).orElse(null);
            if (plan == null) {
                return new Result.Rejected("plan_id", "no plan \"" + command.planId() + "\" in the catalog");
            }
            if (command.feature() != null && !plan.offers(command.feature())) {
                return new Result.Rejected("plan_id", "plan \"" + plan.id() + "\" does not offer \"" + command.feature() + "\"");
            }
        } else {
            BillingStatus status = BillingStatus.of(current, catalog.plan(current.planId()),
                    rule -> snapshot.tallies().getOrDefault(CounterKey.of(accountId, rule, now), Tally.ZERO), now);
            suggested = catalog.plan(status.recommendedPlan()).filter(choices::contains).orElse(null);
        }
        if (plan == null && choices.isEmpty() && !provider.sellsWithoutPlan()) {
            return command.feature() == null
                    ? new Result.Rejected("plan_id", "the catalog has no plans yet; an operator adds them with "
                    + "`bus operator billing catalog put`")
                    : new Result.Rejected("feature", "no plan in the catalog offers \"" + command.feature() + "\"");
        }
        URI url = provider.openCheckout(new PaymentProvider.CheckoutRequest(accountId, command.feature(), plan, suggested, choices,
                command.returnUrl(), current));
        return new Result.Opened(url, provider.name());
    }
}

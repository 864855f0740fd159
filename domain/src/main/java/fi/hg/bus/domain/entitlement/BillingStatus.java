package fi.hg.bus.domain.entitlement;

import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.QuotaRule;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * An account's billing state with its next step.
 *
 * @param usage           one item per quota window of the plan
 * @param nextAction      {@code setup_billing}, {@code upgrade_plan}, or null when nothing is needed
 * @param command         the user's next command, or null
 * @param recommendedPlan the plan to upgrade to, from the spent window, or null
 */
public record BillingStatus(UUID accountId, AccountStatus status, List<String> features, String provider, String planId,
                            List<UsageItem> usage, boolean setupRequired, boolean upgradeRequired, String nextAction,
                            String command, String recommendedPlan) {

    public static final String SETUP_BILLING = "setup_billing";
    public static final String UPGRADE_PLAN = "upgrade_plan";
    public static final String SETUP_COMMAND = "bus billing setup";

    public BillingStatus {
        features = List.copyOf(features);
        usage = List.copyOf(usage);
    }

    public static BillingStatus of(Subscription subscription, Optional<Plan> plan, Function<QuotaRule, Tally> tallies,
                                   Instant now) {
        List<UsageItem> usage = plan.map(p -> p.quotas().stream()
                .map(rule -> UsageItem.of(rule, tallies.apply(rule), now)).toList()).orElse(List.of());
        boolean active = subscription.isActive();
        Optional<UsageItem> spent = usage.stream().filter(UsageItem::exceeded)
                .max(Comparator.comparing(Function.identity(), UsageItem::byReset));
        boolean upgrade = active && spent.isPresent();
        String nextAction = !active ? SETUP_BILLING : upgrade ? UPGRADE_PLAN : null;
        return new BillingStatus(subscription.accountId(), subscription.status(),
                List.copyOf(Entitlements.enabledFeatures(subscription, plan)), subscription.provider(),
                subscription.planId(), usage, !active, upgrade, nextAction, nextAction == null ? null : SETUP_COMMAND,
                upgrade ? spent.get().upgradePlanId() : null);
    }
}

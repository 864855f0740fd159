package fi.hg.bus.domain.entitlement;

import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.QuotaRule;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Decides whether an account may do work, before the work starts. */
public final class Entitlements {

    private Entitlements() {
    }

    /**
     * @param meter    the meter the work is measured in, or null for every meter of the feature
     * @param quantity how much the work will use; 0 when unknown
     * @param tallies  what each matching window holds now
     */
    public static EntitlementDecision decide(Subscription subscription, Catalog catalog, String feature, String meter,
                                             long quantity, Function<QuotaRule, Tally> tallies, Instant now) {
        if (!subscription.isActive()) {
            return new EntitlementDecision.BillingRequired();
        }
        Optional<Plan> plan = catalog.plan(subscription.planId());
        if (!enabledFeatures(subscription, plan).contains(feature)) {
            return new EntitlementDecision.BillingRequired();
        }
        List<QuotaRule> matching = plan.map(p -> p.quotasFor(feature, meter)).orElse(List.of());
        Optional<UsageItem> refusing = matching.stream()
                .map(rule -> UsageItem.of(rule, tallies.apply(rule), now))
                .filter(item -> item.wouldPass(Math.max(0, quantity)))
                .max(Comparator.comparing(Function.identity(), UsageItem::byReset));
        if (refusing.isPresent()) {
            UsageItem item = refusing.get();
            return new EntitlementDecision.QuotaExceeded(subscription.planId(), item.upgradePlanId(), item);
        }
        return new EntitlementDecision.Allowed(subscription.planId(), matching);
    }

    /** The features an active account may use: those the provider reported, and those of its plan. */
    public static Set<String> enabledFeatures(Subscription subscription, Optional<Plan> plan) {
        Set<String> features = new LinkedHashSet<>();
        if (!subscription.isActive()) {
            return features;
        }
        features.addAll(subscription.features());
        plan.ifPresent(p -> {
            features.addAll(p.features());
            p.quotas().forEach(q -> features.add(q.feature()));
        });
        return features;
    }
}

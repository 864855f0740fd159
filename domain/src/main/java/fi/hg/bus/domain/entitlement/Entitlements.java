package fi.hg.bus.domain.entitlement;

import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.QuotaRule;

import java.time.Instant;
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
        // the same test as enabledFeatures(subscription, plan).contains(feature), without building the set
        if (!subscription.features().contains(feature) && !(plan.isPresent() && plan.get().offers(feature))) {
            return new EntitlementDecision.BillingRequired();
        }
        List<QuotaRule> matching = plan.isPresent() ? plan.get().quotasFor(feature, meter) : List.of();
        long asked = Math.max(0, quantity);
        UsageItem refusing = null;
        for (QuotaRule rule : matching) {
            UsageItem item = UsageItem.of(rule, tallies.apply(rule), now);
            // of several spent windows, the one that resets last names the refusal
            if (item.wouldPass(asked) && (refusing == null || UsageItem.byReset(item, refusing) > 0)) {
                refusing = item;
            }
        }
        if (refusing != null) {
            return new EntitlementDecision.QuotaExceeded(subscription.planId(), refusing.upgradePlanId(), refusing);
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

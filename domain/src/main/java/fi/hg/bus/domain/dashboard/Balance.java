package fi.hg.bus.domain.dashboard;

import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.entitlement.Tally;
import fi.hg.bus.domain.entitlement.UsageItem;
import fi.hg.bus.domain.keys.ApiKey;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the OpenAI-compatible dashboard reports, in raw quota units of the dashboard meter: the
 * limit as {@code remaining + used}, and the use; or no limit at all.
 */
public record Balance(boolean unlimited, long remaining, long used) {

    public Balance {
        if (remaining < 0 || used < 0) {
            throw new IllegalArgumentException("remaining and used must not be negative");
        }
    }

    /**
     * A key's own figures: its limit and its lifetime use of the meter; a key without a limit of
     * its own is unlimited.
     */
    public static Balance ofKey(ApiKey key, long used) {
        long u = Math.max(0, used);
        return key.unlimited() ? new Balance(true, 0, u) : new Balance(false, key.remaining(u), u);
    }

    /**
     * The account's binding window: of the plan's quotas on {@code meter} (any feature), the one
     * with the least remaining ({@code limit - used - reserved}, never below zero); on a tie, the
     * one that resets last, as refusals name it. An account that is not active may use nothing:
     * its remaining is zero. An active account whose plan has no quota on the meter is unlimited;
     * one that is not active and has none reports zero.
     */
    public static Balance ofAccount(Subscription subscription, Optional<Plan> plan, String meter,
                                    Function<QuotaRule, Tally> tallies, Instant now) {
        boolean active = subscription.isActive();
        List<UsageItem> items = plan.map(p -> p.quotas().stream()
                .filter(q -> q.meterEventName().equals(meter))
                .map(rule -> UsageItem.of(rule, tallies.apply(rule), now))
                .toList()).orElse(List.of());
        if (items.isEmpty()) {
            return active ? new Balance(true, 0, 0) : new Balance(false, 0, 0);
        }
        Comparator<UsageItem> leastRemaining = Comparator.comparingLong(i -> active ? i.remaining() : 0);
        Comparator<UsageItem> resetsLast = (a, b) -> UsageItem.byReset(b, a);
        UsageItem binding = items.stream().min(leastRemaining.thenComparing(resetsLast)).orElseThrow();
        return new Balance(false, active ? binding.remaining() : 0, binding.used());
    }

    /** {@code remaining + used}, the limit the dashboard reports; saturates rather than overflowing. */
    public long limit() {
        long sum = remaining + used;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** {@code soft_limit_usd} (and the hard limits): 100000000 when unlimited, else the limit in the display unit. */
    public BigDecimal softLimit(QuotaDisplay display) {
        return unlimited ? QuotaDisplay.UNLIMITED : display.amount(limit());
    }

    /** {@code total_usage}: the use in the display unit, times 100. */
    public BigDecimal totalUsage(QuotaDisplay display) {
        return display.usage(used);
    }
}

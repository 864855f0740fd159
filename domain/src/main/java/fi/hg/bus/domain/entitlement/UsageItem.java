package fi.hg.bus.domain.entitlement;

import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.catalog.QuotaRule;

import java.time.Instant;

/**
 * One quota window as an account sees it now.
 *
 * @param remaining     what may still be used: {@code limit - used - reserved}, never below zero
 * @param exceeded      whether the window is spent: {@code used + reserved >= limit}
 * @param upgradePlanId the plan to move to, or null
 * @param resetsAt      when the window resets; null for {@code total}
 */
public record UsageItem(String feature, String meterEventName, QuotaWindow window, long used, long limit, long remaining,
                        boolean exceeded, String upgradePlanId, Instant resetsAt, long reserved) {

    public static UsageItem of(QuotaRule rule, Tally tally, Instant now) {
        long committed = tally.committed();
        return new UsageItem(rule.feature(), rule.meterEventName(), rule.window(), tally.used(), rule.limit(),
                Math.max(0, rule.limit() - committed), committed >= rule.limit(), rule.upgradePlanId(),
                rule.window().resetsAt(now).orElse(null), tally.reserved());
    }

    /** Whether {@code quantity} more would pass the limit. */
    public boolean wouldPass(long quantity) {
        return exceeded || used + reserved + quantity > limit;
    }

    /** Orders windows by when they reset; the total window, which never resets, comes last. */
    public static int byReset(UsageItem a, UsageItem b) {
        if (a.resetsAt == null || b.resetsAt == null) {
            return a.resetsAt == null ? (b.resetsAt == null ? 0 : 1) : -1;
        }
        int c = a.resetsAt.compareTo(b.resetsAt);
        return c != 0 ? c : a.window.compareTo(b.window);
    }
}

package fi.hg.bus.domain.catalog;

import fi.hg.bus.domain.quota.QuotaWindow;

/**
 * A limit on one meter of one feature over one window.
 *
 * @param upgradePlanId the plan to recommend when this quota is spent, or null
 */
public record QuotaRule(String feature, String meterEventName, QuotaWindow window, long limit, String upgradePlanId) {

    /** Whether this rule applies to work on {@code feature}, measured in {@code meter} (null: any meter). */
    public boolean matches(String feature, String meter) {
        return this.feature.equals(feature) && (meter == null || meterEventName.equals(meter));
    }
}

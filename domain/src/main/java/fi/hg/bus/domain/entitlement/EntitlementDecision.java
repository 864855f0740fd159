package fi.hg.bus.domain.entitlement;

import fi.hg.bus.domain.catalog.QuotaRule;

import java.util.List;
import java.util.UUID;

/** The answer to "may this account do this work now?". */
public sealed interface EntitlementDecision {

    /** The work may start; {@code matching} are the quota windows it counts against. */
    record Allowed(String planId, List<QuotaRule> matching) implements EntitlementDecision {
        public Allowed {
            matching = List.copyOf(matching);
        }
    }

    /** Billing is not active, or the subscription does not include the feature. */
    record BillingRequired() implements EntitlementDecision {
    }

    /** A quota window is spent: the one that resets last among those that refuse. */
    record QuotaExceeded(String planId, String recommendedPlan, UsageItem item) implements EntitlementDecision {
    }

    /** The API key the check names is unknown, another account's, revoked or expired. */
    record ApiKeyInvalid() implements EntitlementDecision {
    }

    /** The API key the check names has spent its own limit; {@code item} is its lifetime ({@code total}) window. */
    record ApiKeyQuotaExceeded(UUID apiKeyId, UsageItem item) implements EntitlementDecision {
    }
}

package fi.hg.bus.application.billing;

import fi.hg.bus.domain.billing.ReturnUrl;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.Plan;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The payment provider's hosted pages: where an account holder sets up billing and manages it.
 * Calls that cannot reach the provider, or that it refuses, throw {@link ProviderFailure}.
 */
public interface PaymentProvider {

    /**
     * A hosted checkout.
     *
     * @param feature   the feature asked for, or null
     * @param plan      the plan asked for, or null
     * @param suggested the plan to offer first when none was asked for (the upgrade of a spent quota), or null
     * @param choices   the plans the page may offer (those offering the feature), in catalog order
     * @param returnUrl where to send the account holder afterwards, or null for the provider's own page
     * @param current   the account's subscription as last reported
     */
    record CheckoutRequest(UUID accountId, String feature, Plan plan, Plan suggested, List<Plan> choices,
                           ReturnUrl returnUrl, Subscription current) {
        public CheckoutRequest {
            Objects.requireNonNull(accountId, "accountId");
            choices = List.copyOf(choices);
            Objects.requireNonNull(current, "current");
        }
    }

    /** A hosted portal of one account; {@code returnUrl} may be null. */
    record PortalRequest(UUID accountId, ReturnUrl returnUrl, Subscription current) {
        public PortalRequest {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(current, "current");
        }
    }

    /** {@code local} or {@code stripe}, as in subscription updates. */
    String name();

    /** Whether a checkout can go ahead without any plan of the catalog (e.g. with a default price). */
    boolean sellsWithoutPlan();

    /** The URL of a checkout page for the request. */
    URI openCheckout(CheckoutRequest request);

    /** The URL of the account's portal page, or empty when the provider has nothing to show for it yet. */
    Optional<URI> openPortal(PortalRequest request);
}

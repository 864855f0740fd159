package fi.hg.bus.domain.billing;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An account's subscription as the payment provider last reported it.
 *
 * @param provider   {@code local}, {@code stripe}, or null when unknown
 * @param planId     the plan subscribed to, or null when unknown
 * @param features   the features the provider reported; empty means "the plan's features"
 */
public record Subscription(UUID accountId, AccountStatus status, String provider, String planId, List<String> features,
                           String providerCustomerId, String providerSubscriptionId) {

    public Subscription {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(status, "status");
        features = List.copyOf(features);
    }

    /** The state of an account never seen. */
    public static Subscription missing(UUID accountId) {
        return new Subscription(accountId, AccountStatus.MISSING, null, null, List.of(), null, null);
    }

    public boolean isActive() {
        return status == AccountStatus.ACTIVE;
    }
}

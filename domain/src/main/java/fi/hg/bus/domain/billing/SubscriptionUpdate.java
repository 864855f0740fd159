package fi.hg.bus.domain.billing;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A provider-neutral report of a subscription change, applied once per {@code eventId}.
 */
public record SubscriptionUpdate(String eventId, UUID accountId, String provider, AccountStatus status,
                                 String providerCustomerId, String providerSubscriptionId, String planId,
                                 List<String> features) {

    public SubscriptionUpdate {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(status, "status");
        if (eventId.isEmpty() || eventId.length() > 200) {
            throw new IllegalArgumentException("event_id must be 1 to 200 characters");
        }
        if (status == AccountStatus.MISSING) {
            throw new IllegalArgumentException("status missing cannot be reported; it is the state of an account never seen");
        }
        features = features == null ? List.of() : List.copyOf(features);
    }

    /** The subscription this update leaves. */
    public Subscription toSubscription() {
        return new Subscription(accountId, status, provider, planId, features, providerCustomerId, providerSubscriptionId);
    }
}

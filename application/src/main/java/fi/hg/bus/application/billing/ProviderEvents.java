package fi.hg.bus.application.billing;

import fi.hg.bus.domain.billing.AccountStatus;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Verifies and reads the events a payment provider sends to its webhook. */
public interface ProviderEvents {

    /** An event as read. */
    sealed interface Event {
        /** The signature is missing, wrong or too old, or the payload is not an event. */
        record Unverified(String reason) implements Event {
        }

        /** A genuine event of a type that changes nothing here. */
        record Unhandled(String eventId, String type) implements Event {
        }

        /**
         * A genuine event that reports a subscription's state.
         *
         * @param accountId       the account named by the event's metadata, or null
         * @param planId          the plan named by the event's metadata, or null
         * @param priceLookupKeys the lookup keys of the subscription's prices (may be empty)
         * @param features        the features named by the event's metadata (may be empty)
         */
        record SubscriptionReport(String eventId, String type, Instant createdAt, UUID accountId, String customerId,
                                  String subscriptionId, AccountStatus status, String planId,
                                  List<String> priceLookupKeys, List<String> features) implements Event {
            public SubscriptionReport {
                Objects.requireNonNull(eventId, "eventId");
                Objects.requireNonNull(status, "status");
                priceLookupKeys = List.copyOf(priceLookupKeys);
                features = List.copyOf(features);
            }
        }
    }

    /** The provider's name, as in subscription updates. */
    String provider();

    /** Verifies the signature over the raw payload and reads the event. */
    Event read(String payload, String signatureHeader);
}

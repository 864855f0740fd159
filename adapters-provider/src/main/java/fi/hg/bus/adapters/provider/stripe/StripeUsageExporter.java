package fi.hg.bus.adapters.provider.stripe;

import com.stripe.exception.StripeException;
import com.stripe.param.billing.MeterEventCreateParams;
import fi.hg.bus.application.billing.ProviderCustomers;
import fi.hg.bus.application.billing.Subscriptions;
import fi.hg.bus.application.export.UsageExporter;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.export.UsageExport;

import java.util.Optional;

/**
 * Usage as Stripe Billing Meter events: {@code event_name} the meter, payload
 * {@code stripe_customer_id} and {@code value}, {@code identifier} the export's key, which Stripe
 * keeps unique, so an event sent again after a lost answer is not counted twice. The request's
 * {@code Idempotency-Key} is the key and the attempt's number: Stripe keeps the first answer of a key
 * for a day, 500s included, so each new attempt needs a key of its own, while a repeat of the same
 * attempt (after a crash before its outcome was stored) gets Stripe's first answer back.
 */
public final class StripeUsageExporter implements UsageExporter {

    private final StripeGateway stripe;
    private final ProviderCustomers customers;
    private final Subscriptions subscriptions;

    public StripeUsageExporter(StripeGateway stripe, ProviderCustomers customers, Subscriptions subscriptions) {
        this.stripe = stripe;
        this.customers = customers;
        this.subscriptions = subscriptions;
    }

    @Override
    public String provider() {
        return StripePaymentProvider.NAME;
    }

    @Override
    public Outcome export(UsageExport export) {
        Optional<String> customer = customers.find(export.accountId(), StripePaymentProvider.NAME)
                .or(() -> subscriptions.find(export.accountId())
                        .filter(s -> StripePaymentProvider.NAME.equals(s.provider()))
                        .map(Subscription::providerCustomerId));
        if (customer.isEmpty()) {
            return new Outcome.Failed("account " + export.accountId() + " has no Stripe customer yet (billing not set up with Stripe)");
        }
        MeterEventCreateParams params = MeterEventCreateParams.builder()
                .setEventName(export.meter())
                .putPayload("stripe_customer_id", customer.get())
                .putPayload("value", Long.toString(export.quantity()))
                .setIdentifier(export.key())
                .setTimestamp(export.occurredAt().getEpochSecond())
                .build();
        try {
            stripe.client().v1().billing().meterEvents().create(params,
                    stripe.options(export.key() + "_attempt_" + (export.attempts() + 1)));
            return new Outcome.Accepted();
        } catch (StripeException e) {
            return new Outcome.Failed(StripeGateway.failure("sending a meter event", e).getMessage());
        }
    }
}

package fi.hg.bus.adapters.provider.stripe;

import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Price;
import com.stripe.model.StripeCollection;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PriceListParams;
import com.stripe.param.checkout.SessionCreateParams;
import fi.hg.bus.application.billing.PaymentProvider;
import fi.hg.bus.application.billing.ProviderCustomers;
import fi.hg.bus.application.billing.ProviderFailure;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.Plan;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Stripe Checkout (subscription mode) and the Stripe Billing Portal. Each account gets one Stripe
 * customer, created at its first checkout (with an idempotency key of the account) and remembered.
 * The plan's price is found by the lookup key of its {@code provider_mappings.stripe}, else the
 * configured default price. An account whose Stripe subscription is active or past due is sent to
 * the portal instead: a second checkout would make a second subscription.
 */
public final class StripePaymentProvider implements PaymentProvider {

    public static final String NAME = "stripe";
    public static final String LOOKUP_KEY = "price_lookup_key";
    public static final String DONE_PATH = "/billing/local/done";

    private final StripeGateway stripe;
    private final ProviderCustomers customers;
    private final Supplier<URI> publicUrl;
    private final Clock clock;

    public StripePaymentProvider(StripeGateway stripe, ProviderCustomers customers, Supplier<URI> publicUrl, Clock clock) {
        this.stripe = stripe;
        this.customers = customers;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean sellsWithoutPlan() {
        return stripe.settings().defaultPriceId() != null;
    }

    @Override
    public URI openCheckout(CheckoutRequest request) {
        Subscription current = request.current();
        Optional<String> known = knownCustomer(request.accountId(), current);
        if (known.isPresent() && NAME.equals(current.provider())
                && (current.status() == AccountStatus.ACTIVE || current.status() == AccountStatus.PAST_DUE)) {
            return portal(known.get(), request.returnUrl() == null ? null : request.returnUrl().toString());
        }
        Plan plan = request.plan() != null ? request.plan()
                : request.suggested() != null ? request.suggested()
                : request.choices().isEmpty() ? null : request.choices().getFirst();
        String price = priceOf(plan);
        String customer = known.orElseGet(() -> createCustomer(request.accountId()));
        String back = request.returnUrl() == null ? done() : request.returnUrl().toString();
        List<String> features = plan != null && !plan.features().isEmpty() ? plan.features()
                : request.feature() == null ? List.of() : List.of(request.feature());
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("bus_account_id", request.accountId().toString());
        metadata.put("bus_features", String.join(",", features));
        if (plan != null) {
            metadata.put("bus_plan_id", plan.id());
        }
        SessionCreateParams params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                .setCustomer(customer)
                .setClientReferenceId(request.accountId().toString())
                .addLineItem(SessionCreateParams.LineItem.builder().setPrice(price).setQuantity(1L).build())
                .putAllMetadata(metadata)
                .setSubscriptionData(SessionCreateParams.SubscriptionData.builder().putAllMetadata(metadata).build())
                .setSuccessUrl(back)
                .setCancelUrl(back)
                .build();
        try {
            // no key of ours: stripe-java makes one per call and keeps it across its own retries
            var session = stripe.client().v1().checkout().sessions().create(params, stripe.options(null));
            return URI.create(session.getUrl());
        } catch (StripeException e) {
            throw StripeGateway.failure("opening a Checkout Session", e);
        }
    }

    @Override
    public Optional<URI> openPortal(PortalRequest request) {
        return knownCustomer(request.accountId(), request.current())
                .map(c -> portal(c, request.returnUrl() == null ? null : request.returnUrl().toString()));
    }

    private URI portal(String customer, String returnUrl) {
        String back = returnUrl == null ? done() : returnUrl;
        var params = com.stripe.param.billingportal.SessionCreateParams.builder()
                .setCustomer(customer)
                .setReturnUrl(back)
                .build();
        try {
            var session = stripe.client().v1().billingPortal().sessions().create(params, stripe.options(null));
            return URI.create(session.getUrl());
        } catch (StripeException e) {
            throw StripeGateway.failure("opening a Billing Portal session", e);
        }
    }

    private Optional<String> knownCustomer(UUID accountId, Subscription current) {
        Optional<String> remembered = customers.find(accountId, NAME);
        if (remembered.isPresent()) {
            return remembered;
        }
        if (NAME.equals(current.provider()) && current.providerCustomerId() != null) {
            return Optional.of(current.providerCustomerId());
        }
        return Optional.empty();
    }

    /**
     * Creates the account's customer. Its idempotency key is the account and the ten minutes: two
     * checkouts at once get the same customer, and a failed attempt does not hold the key for a day.
     */
    private String createCustomer(UUID accountId) {
        CustomerCreateParams params = CustomerCreateParams.builder()
                .putMetadata("bus_account_id", accountId.toString())
                .setDescription("Bus account " + accountId)
                .build();
        Customer customer;
        try {
            customer = stripe.client().v1().customers().create(params,
                    stripe.options("bus_customer_" + accountId + "_" + bucket()));
        } catch (StripeException e) {
            throw StripeGateway.failure("creating the account's customer", e);
        }
        return customers.remember(accountId, NAME, customer.getId(), clock.instant());
    }

    /** The price of a plan: its lookup key's active price, else the default price. */
    private String priceOf(Plan plan) {
        String lookupKey = plan == null ? null
                : Optional.ofNullable(plan.providerMappings().get(NAME)).map(m -> m.get(LOOKUP_KEY)).orElse(null);
        if (lookupKey == null) {
            if (stripe.settings().defaultPriceId() != null) {
                return stripe.settings().defaultPriceId();
            }
            throw ProviderFailure.refused(plan == null
                    ? "there is no plan to check out and no BUS_STRIPE_DEFAULT_PRICE_ID"
                    : "plan \"" + plan.id() + "\" has no Stripe price: set provider_mappings.stripe.price_lookup_key "
                    + "in the catalog (and run `bus operator stripe catalog sync`), or BUS_STRIPE_DEFAULT_PRICE_ID", null);
        }
        PriceListParams params = PriceListParams.builder().addLookupKey(lookupKey).setActive(true).setLimit(1L).build();
        StripeCollection<Price> prices;
        try {
            prices = stripe.client().v1().prices().list(params, stripe.options(null));
        } catch (StripeException e) {
            throw StripeGateway.failure("finding the price of plan \"" + plan.id() + "\"", e);
        }
        if (prices.getData() == null || prices.getData().isEmpty()) {
            throw ProviderFailure.refused("Stripe has no active price with lookup key \"" + lookupKey + "\" (plan \""
                    + plan.id() + "\"); create it with `bus operator stripe catalog sync`", null);
        }
        return prices.getData().getFirst().getId();
    }

    private String done() {
        String base = publicUrl.get().toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + DONE_PATH;
    }

    /** The number of the current ten minutes. */
    private String bucket() {
        Instant now = clock.instant();
        return Long.toString(now.getEpochSecond() / 600);
    }
}

package fi.hg.bus.adapters.provider.stripe;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.StripeObject;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import fi.hg.bus.application.billing.ProviderEvents;
import fi.hg.bus.domain.billing.AccountStatus;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Stripe's webhook events: the {@code Stripe-Signature} header is verified over the raw payload
 * with the endpoint's signing secret (and a timestamp at most five minutes old), then
 * {@code checkout.session.completed} and {@code customer.subscription.created|updated|deleted} are
 * read as subscription reports. Events of another API version are read field by field as well.
 */
public final class StripeEvents implements ProviderEvents {

    private static final Logger LOG = Logger.getLogger(StripeEvents.class.getName());
    /** How old a signature may be, in seconds: Stripe's own default. */
    public static final long TOLERANCE_SECONDS = 300;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern FEATURE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,99}");

    private final String signingSecret;
    private final Clock clock;

    public StripeEvents(String signingSecret, Clock clock) {
        this.signingSecret = signingSecret;
        this.clock = clock;
    }

    @Override
    public String provider() {
        return StripePaymentProvider.NAME;
    }

    @Override
    public Event read(String payload, String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            return new Event.Unverified("the Stripe-Signature header is missing");
        }
        com.stripe.model.Event event;
        try {
            event = Webhook.constructEvent(payload, signatureHeader, signingSecret, TOLERANCE_SECONDS, clock);
        } catch (SignatureVerificationException e) {
            return new Event.Unverified("the Stripe-Signature does not verify: " + e.getMessage());
        } catch (RuntimeException e) {
            // gson's parse errors, a JSON value that is not an object, a thin (v2) event notification
            return new Event.Unverified("the payload is not a Stripe event");
        }
        String id = event.getId();
        String type = event.getType();
        if (id == null || id.isEmpty() || id.length() > 200 || type == null) {
            return new Event.Unverified("the payload is not a Stripe event (no id or type)");
        }
        return switch (type) {
            case "checkout.session.completed" -> checkoutCompleted(event);
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" ->
                    subscriptionChanged(event);
            default -> new Event.Unhandled(id, type);
        };
    }

    private Event checkoutCompleted(com.stripe.model.Event event) {
        Optional<StripeObject> object = object(event);
        if (object.isEmpty() || !(object.get() instanceof Session session)) {
            return new Event.Unhandled(event.getId(), event.getType() + " without a readable session");
        }
        if (!"subscription".equals(session.getMode())) {
            return new Event.Unhandled(event.getId(), event.getType() + " (mode " + session.getMode() + ")");
        }
        Map<String, String> metadata = session.getMetadata() == null ? Map.of() : session.getMetadata();
        UUID account = uuid(session.getClientReferenceId()).orElseGet(() -> uuid(metadata.get("bus_account_id")).orElse(null));
        AccountStatus status = switch (String.valueOf(session.getPaymentStatus())) {
            case "paid", "no_payment_required" -> AccountStatus.ACTIVE;
            default -> AccountStatus.INCOMPLETE;
        };
        return new Event.SubscriptionReport(event.getId(), event.getType(), created(event), account, session.getCustomer(),
                session.getSubscription(), status, plan(metadata), List.of(), features(metadata));
    }

    private Event subscriptionChanged(com.stripe.model.Event event) {
        Optional<StripeObject> object = object(event);
        if (object.isEmpty() || !(object.get() instanceof Subscription subscription)) {
            return new Event.Unhandled(event.getId(), event.getType() + " without a readable subscription");
        }
        Optional<AccountStatus> status = event.getType().equals("customer.subscription.deleted")
                ? Optional.of(AccountStatus.CANCELED)
                : status(subscription.getStatus());
        if (status.isEmpty()) {
            LOG.warning("Stripe subscription status \"" + subscription.getStatus() + "\" of event " + event.getId()
                    + " is not known here; the event is ignored");
            return new Event.Unhandled(event.getId(), event.getType() + " (status " + subscription.getStatus() + ")");
        }
        Map<String, String> metadata = subscription.getMetadata() == null ? Map.of() : subscription.getMetadata();
        List<String> lookupKeys = new ArrayList<>();
        if (subscription.getItems() != null && subscription.getItems().getData() != null) {
            for (SubscriptionItem item : subscription.getItems().getData()) {
                if (item.getPrice() != null && item.getPrice().getLookupKey() != null) {
                    lookupKeys.add(item.getPrice().getLookupKey());
                }
            }
        }
        return new Event.SubscriptionReport(event.getId(), event.getType(), created(event),
                uuid(metadata.get("bus_account_id")).orElse(null), subscription.getCustomer(), subscription.getId(),
                status.get(), plan(metadata), lookupKeys, features(metadata));
    }

    /**
     * Stripe's subscription status as ours: {@code active}/{@code trialing} → active,
     * {@code past_due}/{@code unpaid}/{@code paused} → past_due, {@code canceled} → canceled,
     * {@code incomplete}/{@code incomplete_expired} → incomplete.
     */
    public static Optional<AccountStatus> status(String stripeStatus) {
        if (stripeStatus == null) {
            return Optional.empty();
        }
        return switch (stripeStatus) {
            case "active", "trialing" -> Optional.of(AccountStatus.ACTIVE);
            case "past_due", "unpaid", "paused" -> Optional.of(AccountStatus.PAST_DUE);
            case "canceled" -> Optional.of(AccountStatus.CANCELED);
            default -> stripeStatus.startsWith("incomplete") ? Optional.of(AccountStatus.INCOMPLETE) : Optional.empty();
        };
    }

    /** The event's object, also when the event was rendered in another API version than the library's. */
    private static Optional<StripeObject> object(com.stripe.model.Event event) {
        var deserializer = event.getDataObjectDeserializer();
        Optional<StripeObject> object = deserializer.getObject();
        if (object.isPresent()) {
            return object;
        }
        try {
            return Optional.ofNullable(deserializer.deserializeUnsafe());
        } catch (EventDataObjectDeserializationException | RuntimeException e) {
            LOG.warning("Stripe event " + event.getId() + " (API version " + event.getApiVersion()
                    + ") could not be read: " + e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private Instant created(com.stripe.model.Event event) {
        return event.getCreated() == null ? clock.instant() : Instant.ofEpochSecond(event.getCreated());
    }

    private static String plan(Map<String, String> metadata) {
        String plan = metadata.get("bus_plan_id");
        return plan != null && FEATURE.matcher(plan).matches() ? plan : null;
    }

    private static List<String> features(Map<String, String> metadata) {
        String text = metadata.get("bus_features");
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::strip).filter(f -> FEATURE.matcher(f).matches()).distinct().toList();
    }

    private static Optional<UUID> uuid(String text) {
        return text != null && UUID_TEXT.matcher(text).matches() ? Optional.of(UUID.fromString(text)) : Optional.empty();
    }
}

package fi.hg.bus.adapters.provider.stripe;

import com.stripe.exception.StripeException;
import com.stripe.model.Balance;

/** A harmless read (the balance) that shows the key works, and whether it is in live or test mode. */
public final class StripeAccountCheck {

    /** @param livemode what Stripe says of the key's mode */
    public record Report(boolean livemode, String keyKind, String apiBase) {
    }

    private final StripeGateway stripe;

    public StripeAccountCheck(StripeGateway stripe) {
        this.stripe = stripe;
    }

    public Report check() {
        try {
            Balance balance = stripe.client().v1().balance().retrieve(stripe.options(null));
            return new Report(Boolean.TRUE.equals(balance.getLivemode()), StripeSettings.kind(stripe.settings().secretKey()),
                    stripe.settings().apiBase() == null ? "https://api.stripe.com" : stripe.settings().apiBase());
        } catch (StripeException e) {
            throw StripeGateway.failure("reading the balance", e);
        }
    }
}

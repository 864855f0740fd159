package fi.hg.bus.application.billing;

import fi.hg.bus.domain.billing.ReturnUrl;
import fi.hg.bus.domain.billing.Subscription;

import java.net.URI;
import java.util.Objects;
import java.util.UUID;

/** Opens the payment provider's hosted portal, where an account holder sees and changes their plan. */
public final class OpenPortal {

    /** @param returnUrl where the portal's way back leads, or null */
    public record Command(UUID accountId, ReturnUrl returnUrl) {
        public Command {
            Objects.requireNonNull(accountId, "accountId");
        }
    }

    public sealed interface Result {
        record Opened(URI url, String provider) implements Result {
        }

        /** The provider has nothing to manage for the account yet: billing was never set up there. */
        record NotSetUp(String provider) implements Result {
        }
    }

    private final Subscriptions subscriptions;
    private final PaymentProvider provider;

    public OpenPortal(Subscriptions subscriptions, PaymentProvider provider) {
        this.subscriptions = subscriptions;
        this.provider = provider;
    }

    public Result open(Command command) {
        Subscription current = subscriptions.find(command.accountId())
                .orElseGet(() -> Subscription.missing(command.accountId()));
        return provider.openPortal(new PaymentProvider.PortalRequest(command.accountId(), command.returnUrl(), current))
                .<Result>map(url -> new Result.Opened(url, provider.name()))
                .orElseGet(() -> new Result.NotSetUp(provider.name()));
    }
}

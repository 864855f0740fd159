package fi.hg.bus.app.stripe;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.application.billing.ProviderFailure;

/** Stripe's failures as the command line's exit codes: a refused key is 3, anything else 1. */
final class StripeFailures {

    private StripeFailures() {
    }

    static CommandFailed of(ProviderFailure e) {
        int code = e.getMessage().contains("refused the API key") || e.getMessage().contains("may not do this")
                ? ExitCodes.CREDENTIALS : ExitCodes.FAILURE;
        return new CommandFailed(code, e.getMessage());
    }
}

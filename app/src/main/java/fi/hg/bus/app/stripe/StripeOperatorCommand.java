package fi.hg.bus.app.stripe;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bus operator stripe}: the operator's side of the Stripe account. */
@Command(name = "stripe", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Check the Stripe key and bring the Bus catalog to Stripe.",
                "The secret key comes from --api-key-file, else $BUS_STRIPE_SECRET_KEY_FILE, else $BUS_STRIPE_SECRET_KEY; "
                        + "$BUS_STRIPE_API_BASE and $BUS_STRIPE_API_VERSION apply as for bus serve."})
public final class StripeOperatorCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: test or catalog");
    }
}

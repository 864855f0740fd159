package fi.hg.bus.app.stripe;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bus operator stripe catalog}. */
@Command(name = "catalog", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "The Bus catalog in Stripe: Products, Prices and Billing Meters.")
public final class StripeCatalogCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: sync");
    }
}

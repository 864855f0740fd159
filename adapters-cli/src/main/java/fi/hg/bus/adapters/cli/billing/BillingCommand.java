package fi.hg.bus.adapters.cli.billing;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bus billing}: the account holder's billing (seed 000); subcommands are added in {@code Cli}. */
@Command(name = "billing", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Billing state, hosted payment setup and the billing portal of your account.",
                "The token is the API token saved by 'bus auth token' (or --token-file, or $BUS_API_TOKEN); get one with:",
                "  bus auth token --scope \"" + ApiToken.BILLING_SCOPES + "\""})
public final class BillingCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}

package fi.hg.bus.adapters.cli.billing;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bus billing}: the account holder's billing. */
@Command(name = "billing", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Set up and manage your billing.",
                "The token comes from auth/api-token in the config root ($BUS_CONFIG_DIR, else $XDG_CONFIG_HOME/bus, "
                        + "else ~/.config/bus); get one with: bus auth token --scope \"billing:read billing:setup\""})
public final class BillingCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: setup or portal");
    }
}

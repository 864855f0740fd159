package fi.hg.bus.adapters.cli.operator.billing;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bus operator billing catalog}: products, meters and plans with their prices and quotas. */
@Command(name = "catalog", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Show, write or start a catalog: products, meters, and plans with their prices and quotas.")
public final class CatalogCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: template, get or put");
    }
}

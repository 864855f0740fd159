package fi.hg.bus.adapters.cli.operator.billing;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bus operator billing}: the internal billing API, for operators. */
@Command(name = "billing", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Look at accounts' billing and manage the catalog through the internal billing API.",
                "The token comes from --token-file, $BUS_OPERATOR_TOKEN or $BUS_INTERNAL_TOKEN "
                        + "(audience ai.hg.fi/internal, scopes " + OperatorBillingCommand.SCOPES + ")."})
public final class OperatorBillingCommand implements Runnable {

    /** The scopes an operator token needs for every {@code bus operator billing} command. */
    public static final String SCOPES = "billing:read billing:catalog:read billing:catalog:write";

    static final String CATALOG_PATH = "/api/internal/billing/catalog";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: status or catalog");
    }
}

package fi.hg.bus.adapters.cli.operator.auth;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bus operator auth}: the waitlist of registrations. */
@Command(name = "auth", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Approve or reject registrations on the auth service's waitlist.",
                "The token is an auth-service token (audience ai.hg.fi/auth, scopes " + AdminToken.SCOPES + ") from "
                        + "--token-file, $BUS_OPERATOR_AUTH_TOKEN, $BUS_OPERATOR_TOKEN or $BUS_INTERNAL_TOKEN."})
public final class OperatorAuthCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: waitlist, approve or reject");
    }
}

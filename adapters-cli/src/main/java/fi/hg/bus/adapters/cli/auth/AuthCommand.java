package fi.hg.bus.adapters.cli.auth;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bus auth}: the account flow against the auth service. */
@Command(name = "auth", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Register, sign in with a one-time code, and get API tokens.",
                "The session token is saved in $BUS_CONFIG_DIR/auth/token (default ~/.config/bus/auth/token), "
                        + "the API token in auth/api-token next to it, both readable by you only."})
public final class AuthCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "a command is required: register, login, verify, status, token or logout");
    }
}

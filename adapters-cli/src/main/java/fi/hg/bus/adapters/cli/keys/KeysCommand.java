package fi.hg.bus.adapters.cli.keys;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bus keys}: your API keys ({@code sk-…}) for the OpenAI-compatible endpoints and the gateway. */
@Command(name = "keys", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Make, list and revoke your API keys (sk-…).",
                "The token comes from --token-file or auth/api-token in the configuration directory "
                        + "(audience ai.hg.fi/api, scopes " + KeysCommand.SCOPES + ")."})
public final class KeysCommand implements Runnable {

    /** The scopes a token needs for every {@code bus keys} command. */
    public static final String SCOPES = "keys:read keys:write";

    static final String PATH = "/api/v1/keys";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: create, list or revoke");
    }
}

package fi.hg.bus.adapters.cli.operator.auth;

import picocli.CommandLine.Command;

import java.util.Map;

/** {@code bus operator auth reject --email E}. */
@Command(name = "reject", mixinStandardHelpOptions = true,
        description = {"Reject a registration: no API tokens are issued to it (tokens issued earlier run out at their expiry). "
                + "A rejected account can be approved later."})
public final class RejectCommand extends DecideCommand {
    public RejectCommand(Map<String, String> env) {
        super(env, "reject");
    }
}

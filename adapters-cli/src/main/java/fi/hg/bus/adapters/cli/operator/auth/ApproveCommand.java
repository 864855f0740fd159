package fi.hg.bus.adapters.cli.operator.auth;

import picocli.CommandLine.Command;

import java.util.Map;

/** {@code bus operator auth approve --email E}. */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Approve a registration: the account may then get API tokens. Approving again changes nothing."})
public final class ApproveCommand extends DecideCommand {
    public ApproveCommand(Map<String, String> env) {
        super(env, "approve");
    }
}

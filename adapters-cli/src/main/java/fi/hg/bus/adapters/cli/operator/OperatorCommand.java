package fi.hg.bus.adapters.cli.operator;

import picocli.CommandLine.Command;

@Command(name = "operator", description = "Commands for the operators who run the platform.",
        mixinStandardHelpOptions = true)
public final class OperatorCommand {
}

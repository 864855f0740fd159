package fi.hg.bus.adapters.cli;

import picocli.CommandLine.Command;

/** The root of the {@code bus} command line. */
@Command(name = "bus", mixinStandardHelpOptions = true, versionProvider = BusVersion.class,
        description = "Bus billing: usage, quotas and billing for the Bus platform, as a server and a command line.")
public final class BusCommand {
}

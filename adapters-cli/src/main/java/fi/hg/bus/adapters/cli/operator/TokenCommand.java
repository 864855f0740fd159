package fi.hg.bus.adapters.cli.operator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "token", description = "Issue tokens for services, operators and collectors.",
        mixinStandardHelpOptions = true)
public final class TokenCommand {

    @Option(names = "--api-url", paramLabel = "URL",
            description = "Issue through the auth service at this origin (default: $BUS_API_URL).")
    String apiUrl;

    @Option(names = "--internal-key-file", paramLabel = "FILE",
            description = "File holding the auth service's internal shared key.")
    Path internalKeyFile;

    @Option(names = "--format", paramLabel = "json|token", defaultValue = "json",
            description = "json: the token answer as JSON (default); token: the raw token alone.")
    String format;
}

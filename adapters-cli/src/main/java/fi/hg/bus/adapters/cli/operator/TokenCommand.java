package fi.hg.bus.adapters.cli.operator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "token", description = {"Issue tokens for services, operators and collectors.",
        "Through the auth service with its internal shared key, or with --local by signing here."},
        mixinStandardHelpOptions = true)
public final class TokenCommand {

    @Option(names = "--api-url", paramLabel = "URL",
            description = "Issue through the auth service at this URL (default: $BUS_API_URL, else http://127.0.0.1:8080).")
    String apiUrl;

    @Option(names = "--internal-key-file", paramLabel = "FILE",
            description = "File holding the auth service's internal shared key (default: $BUS_OPERATOR_INTERNAL_KEY).")
    Path internalKeyFile;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long to wait for the auth service, e.g. 5s or 2m (default 30s).")
    String timeout;

    @Option(names = "--format", paramLabel = "json|token", defaultValue = "json",
            description = "json: the token answer as JSON (default); token: the raw token alone.")
    String format;
}

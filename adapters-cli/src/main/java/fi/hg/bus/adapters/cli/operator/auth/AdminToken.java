package fi.hg.bus.adapters.cli.operator.auth;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.config.TokenFile;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The operator's auth-service token: the file of {@code --token-file}, else the first of
 * {@code $BUS_OPERATOR_AUTH_TOKEN}, {@code $BUS_OPERATOR_TOKEN}, {@code $BUS_INTERNAL_TOKEN}.
 */
public final class AdminToken {

    public static final String SCOPES = "waitlist:read waitlist:approve";
    static final List<String> ENV = List.of("BUS_OPERATOR_AUTH_TOKEN", "BUS_OPERATOR_TOKEN", "BUS_INTERNAL_TOKEN");

    /** How to get a fitting token: through the auth service with the internal key, or signed here. */
    public static final String HINT = "Issue one with the auth service's internal key, e.g.:" + System.lineSeparator()
            + "  bus operator token --internal-key-file KEYFILE --format token issue --subject operator "
            + "--audience ai.hg.fi/auth --scope \"" + SCOPES + "\" --output operator-auth.token" + System.lineSeparator()
            + "(or with --local where the server's HS256 secret is) and pass it with --token-file operator-auth.token.";

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the auth-service token (default: $BUS_OPERATOR_AUTH_TOKEN, $BUS_OPERATOR_TOKEN, "
                    + "else $BUS_INTERNAL_TOKEN).")
    Path file;

    String resolve(Map<String, String> env) {
        if (file != null) {
            return TokenFile.read(file).orElseThrow(() -> CommandFailed.credentials(
                    "the token file " + file + " does not exist" + System.lineSeparator() + HINT));
        }
        for (String name : ENV) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return TokenFile.check(value, "$" + name);
            }
        }
        throw CommandFailed.credentials("no operator token: give --token-file FILE or set BUS_OPERATOR_AUTH_TOKEN"
                + System.lineSeparator() + HINT);
    }
}

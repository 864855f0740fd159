package fi.hg.bus.adapters.cli.billing;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.config.ConfigRoot;
import fi.hg.bus.adapters.cli.config.JwtClaims;
import fi.hg.bus.adapters.cli.config.TokenFile;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The account holder's API token for {@code bus billing}: the file of {@code --token-file}, else
 * {@code $BUS_API_TOKEN}, else {@code auth/api-token} under the config root (where
 * {@code bus auth token} saves it). Never an argument. A token that has expired, or lacks a scope
 * the command needs, is refused here with the command that gets a fitting one.
 */
public final class ApiToken {

    public static final String ENV = "BUS_API_TOKEN";
    /** The scopes of a billing setup token (seed 000). */
    public static final String BILLING_SCOPES = "billing:read billing:setup";
    /** The command that gets a token for every {@code bus billing} command. */
    public static final String HINT = "Get a billing token with:" + System.lineSeparator()
            + "  bus auth token --scope \"" + BILLING_SCOPES + "\"";

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the API token (default: $" + ENV + ", else auth/api-token under the config root).")
    Path file;

    /**
     * The token, or exit 3 with {@link #HINT}.
     *
     * @param needed the scopes the command's route needs
     */
    public String resolve(Map<String, String> env, Instant now, List<String> needed) {
        String where;
        String token;
        if (file != null) {
            where = "the token file " + file;
            token = TokenFile.read(file).orElseThrow(() -> missing("the token file " + file + " does not exist"));
        } else if (env.get(ENV) != null && !env.get(ENV).isBlank()) {
            where = "$" + ENV;
            token = TokenFile.check(env.get(ENV), where);
        } else {
            Path saved = ConfigRoot.of(env).apiToken();
            where = "the API token saved in " + saved;
            token = TokenFile.read(saved).orElseThrow(() -> missing("no API token (none saved in " + saved + ")"));
        }
        try {
            token = TokenFile.check(token, where);
        } catch (CommandFailed e) {
            throw missing(e.getMessage());
        }
        JwtClaims.peek(token).ifPresent(claims -> {
            if (claims.expiredAt(now)) {
                throw missing(where + " expired at " + claims.expiresAt().orElseThrow());
            }
            List<String> lacking = needed.stream().filter(s -> !claims.scopes().contains(s)).toList();
            if (!lacking.isEmpty()) {
                throw missing(where + " lacks the scope" + (lacking.size() == 1 ? " " : "s ") + String.join(" ", lacking));
            }
        });
        return token;
    }

    private static CommandFailed missing(String why) {
        return CommandFailed.credentials(why + System.lineSeparator() + HINT);
    }
}

package fi.hg.bus.adapters.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.Durations;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.config.ConfigRoot;
import fi.hg.bus.adapters.cli.config.TokenFile;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code bus auth token --scope "…"}: an API token for the signed-in, approved account. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Get an API token (audience ai.hg.fi/api) with the given scopes for the signed-in account, "
                + "once an operator approved it. Prints the raw token and saves it in auth/api-token under the "
                + "config root (mode 0600), where 'bus billing' and other Bus clients find it.",
                "Only the scopes the deployment allows end users can be asked for."})
public final class ApiTokenCommand implements Callable<Integer> {

    private static final Pattern SCOPES = Pattern.compile("[A-Za-z0-9_.:*\\-/]{1,100}( +[A-Za-z0-9_.:*\\-/]{1,100})*");

    @Option(names = {"--scope", "--resources"}, required = true, paramLabel = "\"S1 S2\"",
            description = "Space-separated scopes, e.g. \"billing:read billing:setup\" or \"llm:proxy billing:read\".")
    String scope;

    @Option(names = "--ttl", paramLabel = "DURATION",
            description = "The token's lifetime, e.g. 1h or 7d (default: the server's, 24h; at most 30d).")
    String ttl;

    @Mixin
    SessionToken session;

    @Mixin
    ApiOptions api;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;
    private final Clock clock;

    public ApiTokenCommand(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        String scopes = scope.strip();
        if (!SCOPES.matcher(scopes).matches()) {
            throw CommandFailed.usage("--scope must be space-separated scopes such as \"billing:read billing:setup\"");
        }
        ObjectNode body = ApiClient.JSON.createObjectNode().put("scope", scopes);
        if (ttl != null) {
            Duration lifetime;
            try {
                lifetime = Durations.parse(ttl);
            } catch (IllegalArgumentException e) {
                throw CommandFailed.usage("--ttl: " + e.getMessage());
            }
            if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(Duration.ofDays(30)) > 0) {
                throw CommandFailed.usage("--ttl must be from 1s to 30d");
            }
            body.put("ttl_seconds", lifetime.toSeconds());
        }
        JsonNode answer;
        try (ApiClient client = api.client(env, () -> session.resolve(env, clock.instant()),
                "See where the account stands with 'bus auth status'; sign in again when the session has expired:"
                        + System.lineSeparator() + SessionToken.SIGN_IN)) {
            answer = client.post("/api/v1/auth/token", body.toString());
        }
        if (!answer.path("access_token").isTextual()) {
            throw new CommandFailed(ExitCodes.FAILURE, "the server's answer holds no token");
        }
        String token = TokenFile.check(answer.get("access_token").asText(), "the server's token");
        TokenFile.write(ConfigRoot.of(env).apiToken(), token);
        output.secret(format.format() == Format.JSON ? ApiClient.pretty(answer) : token);
        return 0;
    }
}

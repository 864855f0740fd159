package fi.hg.bus.adapters.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.Durations;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus keys create --name NAME}: a new API key; its secret is printed this once. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Make an API key and print it (sk-…) on stdout; it is shown this once, so store it now.",
                "Without --quota-limit the key has no limit of its own (your plan's quotas still apply).",
                "--output FILE writes the key to FILE, readable by you only."})
public final class CreateKeyCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the key is for (at most 100 characters).")
    String name;

    @Option(names = "--quota-limit", paramLabel = "N",
            description = "The key's own lifetime limit, in units of the dashboard meter (tokens by default).")
    Long quotaLimit;

    @Option(names = "--unlimited", description = "No limit of its own (the default without --quota-limit).")
    boolean unlimited;

    @Option(names = "--expires-at", paramLabel = "TIME", description = "When the key stops working (RFC 3339, e.g. 2027-01-01T00:00:00Z).")
    String expiresAt;

    @Option(names = "--expires-in", paramLabel = "DURATION", description = "When the key stops working, from now (e.g. 30d, 12h).")
    String expiresIn;

    @Mixin
    ApiOptions api;

    @Mixin
    UserToken token;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final Clock clock;

    public CreateKeyCommand(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        if (quotaLimit != null && unlimited) {
            throw CommandFailed.usage("give --quota-limit or --unlimited, not both");
        }
        if (quotaLimit != null && quotaLimit < 1) {
            throw CommandFailed.usage("--quota-limit must be a positive whole number");
        }
        if (expiresAt != null && expiresIn != null) {
            throw CommandFailed.usage("give --expires-at or --expires-in, not both");
        }
        if (output.discards()) {
            throw CommandFailed.usage("--quiet would throw the new key away: it is shown only once; add --output FILE");
        }
        ObjectNode body = ApiClient.JSON.createObjectNode().put("name", name);
        if (quotaLimit != null) {
            body.put("quota_limit", quotaLimit);
        } else if (unlimited) {
            body.put("unlimited", true);
        }
        Instant expiry = expiry();
        if (expiry != null) {
            body.put("expires_at", expiry.toString());
        }
        JsonNode key;
        try (ApiClient client = api.client(env, () -> token.resolve(env, KeysCommand.SCOPES), UserToken.hint(KeysCommand.SCOPES))) {
            key = client.post(KeysCommand.PATH, body.toString());
        }
        if (format.format() == Format.JSON) {
            output.secret(ApiClient.pretty(key));
        } else {
            output.secret(KeyText.text(key, "key"));
        }
        spec.commandLine().getErr().println("Created key \"" + KeyText.text(key, "name") + "\" (id " + KeyText.text(key, "id")
                + "): " + KeyText.use(key) + ", expires " + KeyText.expires(key) + ".");
        spec.commandLine().getErr().println("Store the key now: it is not shown again. Revoke it with: bus keys revoke "
                + KeyText.text(key, "id"));
        spec.commandLine().getErr().flush();
        return 0;
    }

    private Instant expiry() {
        if (expiresIn != null) {
            Duration d;
            try {
                d = Durations.parse(expiresIn);
            } catch (IllegalArgumentException e) {
                throw CommandFailed.usage("--expires-in: " + e.getMessage());
            }
            if (d.isZero()) {
                throw CommandFailed.usage("--expires-in must be more than 0s");
            }
            return clock.instant().plus(d).truncatedTo(ChronoUnit.SECONDS);
        }
        if (expiresAt != null) {
            try {
                return OffsetDateTime.parse(expiresAt.strip()).toInstant();
            } catch (DateTimeParseException e) {
                throw CommandFailed.usage("--expires-at must be an RFC 3339 time such as 2027-01-01T00:00:00Z");
            }
        }
        return null;
    }
}

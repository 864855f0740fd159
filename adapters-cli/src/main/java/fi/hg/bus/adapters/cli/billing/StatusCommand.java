package fi.hg.bus.adapters.cli.billing;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus billing status}: the account's billing state, features and quota windows. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show your account's billing state, plan, enabled features and each quota window "
                + "(a bar with used/limit and when it resets).",
                "Without billing it prints the next command; with a quota exhausted it prints the quota item as JSON "
                        + "and the upgrade guidance with the recommended plan."})
public final class StatusCommand implements Callable<Integer> {

    static final String PATH = "/api/v1/billing/status";

    @Mixin
    ApiOptions api;

    @Mixin
    ApiToken token;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;
    private final Clock clock;
    private final boolean terminal;

    /** @param terminal whether stdout is a terminal (then text may be coloured, unless NO_COLOR is set) */
    public StatusCommand(Map<String, String> env, Clock clock, boolean terminal) {
        this.env = env;
        this.clock = clock;
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        try (ApiClient client = api.client(env, () -> token.resolve(env, clock.instant(), List.of("billing:read")),
                ApiToken.HINT)) {
            JsonNode status = client.get(PATH);
            if (format.format() == Format.JSON) {
                output.result(ApiClient.pretty(status));
            } else {
                boolean colour = terminal && !output.toFile() && noColourUnset();
                output.result(StatusText.renderOwn(status, colour));
            }
        }
        return 0;
    }

    /** https://no-color.org: any non-empty NO_COLOR turns colour off. */
    private boolean noColourUnset() {
        String noColour = env.get("NO_COLOR");
        return noColour == null || noColour.isEmpty();
    }
}

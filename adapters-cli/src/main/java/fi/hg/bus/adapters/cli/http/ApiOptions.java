package fi.hg.bus.adapters.cli.http;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.Durations;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;

/** {@code --api-url} and {@code --timeout}, for every command that calls the server. */
public final class ApiOptions {

    public static final String API_URL_ENV = "BUS_API_URL";
    private static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    @Option(names = "--api-url", paramLabel = "URL",
            description = {"The server's URL, or a module base such as …/api/v1/billing.",
                    "Default: $BUS_API_URL, else " + ApiUrl.DEFAULT + "."})
    String apiUrl;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long to wait for the server, e.g. 5s or 2m (default 30s).")
    String timeout;

    /** The server to call: {@code --api-url}, else {@code $BUS_API_URL}, else the default. Bad values are usage errors. */
    public ApiUrl apiUrl(Map<String, String> env) {
        String where = "--api-url";
        String text = apiUrl;
        if (text == null) {
            String configured = env.get(API_URL_ENV);
            if (configured == null || configured.isBlank()) {
                return ApiUrl.parse(ApiUrl.DEFAULT);
            }
            where = API_URL_ENV;
            text = configured;
        }
        try {
            return ApiUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw CommandFailed.usage(where + " " + e.getMessage());
        }
    }

    /** {@code --timeout}: more than zero and at most a day. */
    public Duration timeout() {
        Duration d;
        try {
            d = Durations.parse(timeout);
        } catch (IllegalArgumentException e) {
            throw CommandFailed.usage("--timeout: " + e.getMessage());
        }
        if (d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
            throw CommandFailed.usage("--timeout must be more than 0s and at most 1d");
        }
        return d;
    }

    /** A client for the server with this token; options are checked first, so usage errors come before credential errors. */
    public ApiClient client(Map<String, String> env, TokenSupplier token, String tokenHint) {
        ApiUrl url = apiUrl(env);
        Duration t = timeout();
        return new ApiClient(url, token.token(), t, tokenHint);
    }

    /** Where a command's bearer token comes from; throws {@link CommandFailed} (exit 3) when there is none. */
    @FunctionalInterface
    public interface TokenSupplier {
        String token();
    }
}

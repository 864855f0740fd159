package fi.hg.bus.app.config;

import fi.hg.bus.app.logging.LogFormat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Logs and metrics of {@code bus serve}.
 *
 * @param logFormat    {@code BUS_LOG_FORMAT}: {@code text} (default) or {@code json}
 * @param metricsToken {@code BUS_METRICS_TOKEN} (or the file {@code BUS_METRICS_TOKEN_FILE} names):
 *                     when set, {@code GET /metrics} asks for it as a bearer token; empty: open
 */
public record ObservabilityConfig(LogFormat logFormat, Optional<String> metricsToken) {

    static final int MIN_TOKEN = 16;

    /** Shown instead of the configuration: the token is never printed. */
    @Override
    public String toString() {
        return "ObservabilityConfig[" + logFormat + ", metrics token " + (metricsToken.isPresent() ? "set" : "not set") + "]";
    }

    public static ObservabilityConfig read(Env env) {
        LogFormat format = env.get("BUS_LOG_FORMAT")
                .map(text -> LogFormat.parse(text).orElseThrow(() ->
                        new ConfigException("BUS_LOG_FORMAT must be text or json")))
                .orElse(LogFormat.TEXT);
        return new ObservabilityConfig(format, metricsToken(env));
    }

    private static Optional<String> metricsToken(Env env) {
        Optional<String> value = env.get("BUS_METRICS_TOKEN");
        Optional<String> file = env.get("BUS_METRICS_TOKEN_FILE");
        if (value.isPresent() && file.isPresent()) {
            throw new ConfigException("BUS_METRICS_TOKEN and BUS_METRICS_TOKEN_FILE are both set; set one of them");
        }
        Optional<String> token = value.map(String::strip);
        if (file.isPresent()) {
            try {
                token = Optional.of(Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new ConfigException("BUS_METRICS_TOKEN_FILE cannot be read: " + e.getClass().getSimpleName());
            }
        }
        if (token.isPresent()) {
            String t = token.get();
            if (t.length() < MIN_TOKEN) {
                throw new ConfigException("BUS_METRICS_TOKEN must be at least " + MIN_TOKEN + " characters");
            }
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c <= ' ' || c > '~') {
                    throw new ConfigException("BUS_METRICS_TOKEN may hold only printable ASCII without spaces");
                }
            }
        }
        return token;
    }
}

package fi.hg.bus.app.config;

import fi.hg.bus.adapters.cli.Durations;

import java.time.Duration;
import java.util.Optional;

/**
 * How {@code bus serve} stops on SIGTERM or SIGINT.
 *
 * @param drain how long {@code /readyz} answers 503 while the server still serves every request,
 *              so that a balancer polling it takes the replica out before its port closes
 * @param grace how long, after the port closed, requests in flight and the background workers' current
 *              passes may take to finish before they are cut (their transactions roll back)
 */
public record ShutdownConfig(Duration drain, Duration grace) {

    public static final Duration DEFAULT_DRAIN = Duration.ZERO;
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    private static final Duration MAX = Duration.ofMinutes(10);

    public ShutdownConfig {
        if (drain.isNegative() || grace.isNegative()) {
            throw new IllegalArgumentException("shutdown durations cannot be negative");
        }
    }

    public static ShutdownConfig defaults() {
        return new ShutdownConfig(DEFAULT_DRAIN, DEFAULT_GRACE);
    }

    static ShutdownConfig read(Env env) {
        return new ShutdownConfig(duration(env, "BUS_SHUTDOWN_DRAIN", DEFAULT_DRAIN),
                duration(env, "BUS_SHUTDOWN_GRACE", DEFAULT_GRACE));
    }

    private static Duration duration(Env env, String name, Duration fallback) {
        Optional<String> text = env.get(name);
        if (text.isEmpty()) {
            return fallback;
        }
        Duration d;
        try {
            d = Durations.parse(text.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " must be a duration such as 0s, 500ms, 10s or 1m");
        }
        if (d.compareTo(MAX) > 0) {
            throw new ConfigException(name + " must be at most 10m");
        }
        return d;
    }
}

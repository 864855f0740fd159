package fi.hg.bus.app.config;


import java.time.Duration;

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
        return new ShutdownConfig(EnvDurations.read(env, "BUS_SHUTDOWN_DRAIN", DEFAULT_DRAIN, Duration.ZERO, MAX),
                EnvDurations.read(env, "BUS_SHUTDOWN_GRACE", DEFAULT_GRACE, Duration.ZERO, MAX));
    }
}

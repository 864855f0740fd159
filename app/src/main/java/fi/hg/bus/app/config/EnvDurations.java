package fi.hg.bus.app.config;

import fi.hg.bus.adapters.cli.Durations;

import java.time.Duration;
import java.util.Optional;

/** Durations read from the environment ({@code 500ms}, {@code 30s}, {@code 1m30s}), within bounds. */
final class EnvDurations {
    private EnvDurations() {
    }

    /**
     * The duration named {@code name}, or {@code fallback} when it is unset; a value that does not
     * parse, or lies outside {@code min}..{@code max}, stops the start naming the variable (never
     * its value).
     */
    static Duration read(Env env, String name, Duration fallback, Duration min, Duration max) {
        Optional<String> text = env.get(name);
        if (text.isEmpty()) {
            return fallback;
        }
        Duration d;
        try {
            d = Durations.parse(text.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " must be a duration such as 500ms, 10s or 1m");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(name + " must be from " + Durations.format(min) + " to " + Durations.format(max));
        }
        return d;
    }
}

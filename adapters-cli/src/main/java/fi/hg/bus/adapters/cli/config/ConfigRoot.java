package fi.hg.bus.adapters.cli.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where {@code bus} keeps a user's files: {@code $BUS_CONFIG_DIR}, else
 * {@code $XDG_CONFIG_HOME/bus}, else {@code ~/.config/bus}. The auth session token is
 * {@code auth/token} there, the API token {@code auth/api-token}.
 */
public record ConfigRoot(Path directory) {

    public static final String CONFIG_DIR_ENV = "BUS_CONFIG_DIR";
    public static final String SESSION_FILE = "auth/token";
    public static final String API_TOKEN_FILE = "auth/api-token";

    /** The root for this environment; {@code HOME} (else the JVM's user.home) stands for {@code ~}. */
    public static ConfigRoot of(Map<String, String> env) {
        String configured = env.get(CONFIG_DIR_ENV);
        if (configured != null && !configured.isBlank()) {
            return new ConfigRoot(Path.of(configured));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return new ConfigRoot(Path.of(xdg, "bus"));
        }
        String home = env.get("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return new ConfigRoot(Path.of(home, ".config", "bus"));
    }

    public Path sessionToken() {
        return directory.resolve(SESSION_FILE);
    }

    public Path apiToken() {
        return directory.resolve(API_TOKEN_FILE);
    }
}

package fi.hg.bus.adapters.cli.billing;

import fi.hg.bus.adapters.cli.CommandFailed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The account holder's API token: {@code auth/api-token} in the config root ({@code $BUS_CONFIG_DIR},
 * else {@code $XDG_CONFIG_HOME/bus}, else {@code ~/.config/bus}), as {@code bus auth token} saves it.
 */
public final class ApiToken {

    /** What to run when there is no token that fits. */
    public static final String HINT = "Get one with: bus auth token --scope \"billing:read billing:setup\"";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final int MAX_LENGTH = 16 * 1024;

    private ApiToken() {
    }

    /** The config root of {@code env}. */
    public static Path configRoot(Map<String, String> env) {
        String dir = env.get("BUS_CONFIG_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "bus");
        }
        return Path.of(System.getProperty("user.home"), ".config", "bus");
    }

    /** The token, or a {@link CommandFailed} with exit 3 and the hint. */
    public static String read(Map<String, String> env) {
        Path file = configRoot(env).resolve("auth").resolve("api-token");
        String text;
        try {
            if (Files.size(file) > MAX_LENGTH) {
                throw CommandFailed.credentials(file + " is too large to hold a token" + System.lineSeparator() + HINT);
            }
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw CommandFailed.credentials("no API token (" + file + " does not exist)" + System.lineSeparator() + HINT);
        } catch (IOException e) {
            throw CommandFailed.credentials("cannot read the API token " + file + ": " + e.getMessage()
                    + System.lineSeparator() + HINT);
        }
        if (text.isEmpty() || !TOKEN.matcher(text).matches()) {
            throw CommandFailed.credentials(file + " does not hold a token" + System.lineSeparator() + HINT);
        }
        return text;
    }
}

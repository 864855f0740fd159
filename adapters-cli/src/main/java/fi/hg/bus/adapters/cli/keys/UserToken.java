package fi.hg.bus.adapters.cli.keys;

import fi.hg.bus.adapters.cli.CommandFailed;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The end user's API token (audience {@code ai.hg.fi/api}): the text of {@code --token-file}, else
 * the file {@code auth/api-token} in the configuration directory, which {@code bus auth token}
 * writes. The directory is {@code $BUS_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/bus}, else
 * {@code ~/.config/bus}. Never an argument: arguments end up in shell history and process lists.
 */
public final class UserToken {

    public static final String CONFIG_DIR_ENV = "BUS_CONFIG_DIR";
    static final Path API_TOKEN = Path.of("auth", "api-token");

    /** RFC 6750 token68 characters: what a JWT is made of. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+");
    private static final int MAX_LENGTH = 16 * 1024;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding your API token (default: auth/api-token in $BUS_CONFIG_DIR, "
                    + "else $XDG_CONFIG_HOME/bus, else ~/.config/bus).")
    Path file;

    /** The configuration directory of {@code env}. */
    public static Path configRoot(Map<String, String> env) {
        String dir = env.get(CONFIG_DIR_ENV);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "bus");
        }
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".config", "bus");
    }

    /** The token, or a {@link CommandFailed} with exit 3 saying how to get one with {@code scopes}. */
    public String resolve(Map<String, String> env, String scopes) {
        Path path = file != null ? file : configRoot(env).resolve(API_TOKEN);
        String text;
        try {
            if (Files.size(path) > MAX_LENGTH) {
                throw CommandFailed.credentials("the token file " + path + " is too large to hold a token");
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CommandFailed.credentials("no API token: " + path + " does not exist" + System.lineSeparator() + hint(scopes));
        } catch (IOException e) {
            throw CommandFailed.credentials("cannot read the token file " + path + ": " + e.getMessage());
        }
        String token = BEARER.matcher(text.strip()).replaceFirst("");
        if (token.isEmpty()) {
            throw CommandFailed.credentials("the token file " + path + " is empty" + System.lineSeparator() + hint(scopes));
        }
        if (token.length() > MAX_LENGTH || !TOKEN.matcher(token).matches()) {
            throw CommandFailed.credentials("the token file " + path
                    + " does not hold a token (one line of letters, digits and . _ ~ + / - =)");
        }
        return token;
    }

    /** How to get a token with {@code scopes}. */
    public static String hint(String scopes) {
        return "Get one with: bus auth token --scope \"" + scopes + "\" (it is saved where the keys commands look), "
                + "or give --token-file FILE.";
    }
}

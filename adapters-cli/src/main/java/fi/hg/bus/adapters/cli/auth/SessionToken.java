package fi.hg.bus.adapters.cli.auth;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.config.ConfigRoot;
import fi.hg.bus.adapters.cli.config.JwtClaims;
import fi.hg.bus.adapters.cli.config.TokenFile;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The auth session token: the file of {@code --token-file}, else {@code $BUS_AUTH_TOKEN}, else
 * {@code auth/token} under the config root. {@code verify} writes it where it is read from.
 */
public final class SessionToken {

    public static final String ENV = "BUS_AUTH_TOKEN";

    static final String SIGN_IN = "Sign in with:" + System.lineSeparator()
            + "  bus auth login --email EMAIL" + System.lineSeparator()
            + "  bus auth verify --email EMAIL --otp CODE";

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "The session token's file (default: $" + ENV + ", else auth/token under the config root).")
    Path file;

    /** Where {@code verify} saves the session. */
    Path target(Map<String, String> env) {
        return file != null ? file : ConfigRoot.of(env).sessionToken();
    }

    /** The session token, or exit 3 saying how to sign in; one whose expiry has passed is refused here already. */
    String resolve(Map<String, String> env, Instant now) {
        String token;
        String where;
        if (file != null) {
            where = "the session file " + file;
            token = TokenFile.read(file).orElseThrow(() -> CommandFailed.credentials(
                    "not signed in: the session file " + file + " does not exist" + System.lineSeparator() + SIGN_IN));
        } else if (env.get(ENV) != null && !env.get(ENV).isBlank()) {
            where = "$" + ENV;
            token = TokenFile.check(env.get(ENV), where);
        } else {
            Path saved = ConfigRoot.of(env).sessionToken();
            where = "the session saved in " + saved;
            token = TokenFile.read(saved).orElseThrow(() -> CommandFailed.credentials(
                    "not signed in (no session in " + saved + ")" + System.lineSeparator() + SIGN_IN));
        }
        JwtClaims.peek(token).filter(c -> c.expiredAt(now)).ifPresent(c -> {
            throw CommandFailed.credentials(where + " expired at " + c.expiresAt().orElseThrow()
                    + System.lineSeparator() + SIGN_IN);
        });
        return token;
    }

    /** The token if one is at hand, without complaint: for {@code logout}. */
    String peek(Map<String, String> env) {
        try {
            if (file != null) {
                return TokenFile.read(file).orElse(null);
            }
            if (env.get(ENV) != null && !env.get(ENV).isBlank()) {
                return TokenFile.check(env.get(ENV), "$" + ENV);
            }
            return TokenFile.read(ConfigRoot.of(env).sessionToken()).orElse(null);
        } catch (CommandFailed e) {
            return null;
        }
    }
}

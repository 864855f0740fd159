package fi.hg.bus.adapters.cli.operator;

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
 * An operator's bearer token for the internal API: the text of {@code --token-file}, else
 * {@code $BUS_OPERATOR_TOKEN}, else {@code $BUS_INTERNAL_TOKEN}. Never an argument: arguments end
 * up in shell history and process lists.
 */
public final class OperatorToken {

    public static final String OPERATOR_TOKEN_ENV = "BUS_OPERATOR_TOKEN";
    public static final String INTERNAL_TOKEN_ENV = "BUS_INTERNAL_TOKEN";

    /** RFC 6750 token68 characters: what a JWT is made of. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+");
    private static final int MAX_LENGTH = 16 * 1024;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the operator token (default: $" + OPERATOR_TOKEN_ENV + ", else $" + INTERNAL_TOKEN_ENV + ").")
    Path file;

    /**
     * The token, or a {@link CommandFailed} with exit 3 saying how to get one.
     *
     * @param scopes the scopes the command needs, shown in the hint
     */
    public String resolve(Map<String, String> env, String scopes) {
        if (file != null) {
            String text;
            try {
                if (Files.size(file) > MAX_LENGTH) {
                    throw CommandFailed.credentials("the token file " + file + " is too large to hold a token");
                }
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw CommandFailed.credentials("the token file " + file + " does not exist" + System.lineSeparator() + hint(scopes));
            } catch (IOException e) {
                throw CommandFailed.credentials("cannot read the token file " + file + ": " + e.getMessage());
            }
            return check(text, "the token file " + file, scopes);
        }
        for (String name : new String[]{OPERATOR_TOKEN_ENV, INTERNAL_TOKEN_ENV}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return check(value, "$" + name, scopes);
            }
        }
        throw CommandFailed.credentials("no operator token: give --token-file FILE or set "
                + OPERATOR_TOKEN_ENV + " (or " + INTERNAL_TOKEN_ENV + ")" + System.lineSeparator() + hint(scopes));
    }

    private static String check(String text, String where, String scopes) {
        String token = BEARER.matcher(text.strip()).replaceFirst("");
        if (token.isEmpty()) {
            throw CommandFailed.credentials(where + " is empty" + System.lineSeparator() + hint(scopes));
        }
        if (token.length() > MAX_LENGTH || !TOKEN.matcher(token).matches()) {
            throw CommandFailed.credentials(where + " does not hold a token (one line of letters, digits and . _ ~ + / - =)");
        }
        return token;
    }

    /** How to get a token for {@code scopes}: on the machine that has the server's HS256 secret. */
    public static String hint(String scopes) {
        return "Issue one where the server's HS256 secret is available, e.g.:" + System.lineSeparator()
                + "  bus operator token --format token issue --local --subject operator --scope \"" + scopes + "\""
                + " --output operator.token" + System.lineSeparator()
                + "and pass it with --token-file operator.token (or export " + OPERATOR_TOKEN_ENV + ").";
    }
}

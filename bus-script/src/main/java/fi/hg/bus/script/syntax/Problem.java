package fi.hg.bus.script.syntax;

import java.util.Objects;

/**
 * Something wrong with a line of a {@code .bus} text, found before anything runs: {@link Kind#SYNTAX}
 * for the language itself (quotes, escapes, {@code ${…}}, forbidden characters), {@link Kind#USAGE}
 * for a line of global flags that is not one.
 */
public record Problem(int line, String message, Kind kind) {

    public enum Kind { SYNTAX, USAGE }

    public Problem {
        if (line < 1) {
            throw new IllegalArgumentException("line numbers start at 1");
        }
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(kind, "kind");
    }

    static Problem syntax(int line, String message) {
        return new Problem(line, message, Kind.SYNTAX);
    }

    static Problem usage(int line, String message) {
        return new Problem(line, message, Kind.USAGE);
    }
}

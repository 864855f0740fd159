package fi.hg.bus.script.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the text of a {@code .bus} file into logical lines of words (SPEC 9):
 * <ul>
 *   <li>blank lines are skipped; a line whose first non-blank character is {@code #} is a comment
 *       (a shebang too); there are no inline comments, and a comment never continues;</li>
 *   <li>a {@code \} before the end of a line joins the next line (the two characters vanish);</li>
 *   <li>words split on spaces and tabs; {@code '…'} quotes everything literally; {@code "…"} quotes,
 *       with {@code \"}, {@code \\} and {@code \$} as escapes and {@code ${…}} expanded; outside
 *       quotes {@code \} escapes one character; quotes end on the line they start;</li>
 *   <li>{@code ${NAME}} and {@code ${NAME:-default}} outside single quotes expand from the
 *       environment, into the word being read: the value is never split or read again; an unset
 *       name without a default is an error; the default is used when the name is unset or empty;</li>
 *   <li>unquoted {@code |}, {@code ;}, {@code <} and {@code >} are errors;</li>
 *   <li>control characters (other than tab and line ends) and Unicode direction overrides are
 *       errors anywhere, comments included.</li>
 * </ul>
 * Every problem is reported with the line it is on; a line with a problem yields no words, and
 * lexing goes on with the next line so that one pass shows every problem.
 */
public final class Lexer {

    /** Lines and problems; the lines are usable only when there is no problem. */
    public record Lexed(List<Line> lines, List<Problem> problems) {
        public Lexed {
            lines = List.copyOf(lines);
            problems = List.copyOf(problems);
        }
    }

    /** A problem on the current line: the rest of the logical line is skipped. */
    private static final class LineFailed extends RuntimeException {
        LineFailed() {
            super(null, null, false, false);
        }
    }

    private final String s;
    private final Map<String, String> env;
    private final List<Line> lines = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private int i;
    private int line = 1;

    private Lexer(String text, Map<String, String> env) {
        this.s = text;
        this.env = env;
    }

    /** Reads {@code text}; {@code env} gives the values of {@code ${NAME}}. */
    public static Lexed lex(String text, Map<String, String> env) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(env, "env");
        String normalized = text.replace("\r\n", "\n");
        if (normalized.startsWith("\uFEFF")) {
            normalized = normalized.substring(1);
        }
        List<Problem> forbidden = forbiddenCharacters(normalized);
        if (!forbidden.isEmpty()) {
            return new Lexed(List.of(), forbidden);
        }
        Lexer lexer = new Lexer(normalized, env);
        lexer.all();
        return new Lexed(lexer.lines, lexer.problems);
    }

    /**
     * Whether {@code text} ends with a {@code \} that continues the line, so that a prompt should
     * read another line before running it. A comment never continues; a {@code \} in single quotes
     * is literal.
     */
    public static boolean continues(String text) {
        String t = text.replace("\r\n", "\n");
        int n = t.length();
        boolean single = false;
        boolean atLineStart = true;
        boolean comment = false;
        for (int k = 0; k < n; k++) {
            char c = t.charAt(k);
            if (comment) {
                if (c == '\n') {
                    comment = false;
                    atLineStart = true;
                }
                continue;
            }
            if (atLineStart && (c == ' ' || c == '\t')) {
                continue;
            }
            if (atLineStart && c == '#') {
                comment = true;
                continue;
            }
            atLineStart = false;
            if (single) {
                if (c == '\'') {
                    single = false;
                }
                if (c == '\n') {    // an unterminated quote: the line ends (with an error)
                    single = false;
                    atLineStart = true;
                }
                continue;
            }
            switch (c) {
                case '\'' -> single = true;
                case '\\' -> {
                    if (k + 1 == n) {
                        return true;
                    }
                    k++;
                }
                case '\n' -> atLineStart = true;
                default -> {
                }
            }
        }
        return false;
    }

    private static List<Problem> forbiddenCharacters(String text) {
        List<Problem> found = new ArrayList<>();
        int line = 1;
        int column = 1;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '\n') {
                line++;
                column = 1;
                continue;
            }
            if (forbidden(c)) {
                found.add(Problem.syntax(line, String.format("control character U+%04X at column %d is not allowed; "
                        + ".bus files are plain text", (int) c, column)));
            }
            column++;
        }
        return found;
    }

    /** C0 and C1 controls other than tab, DEL, and the bidirectional overrides and isolates. */
    private static boolean forbidden(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f)
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }

    private void all() {
        int n = s.length();
        while (i < n) {
            while (i < n && blank(s.charAt(i))) {
                i++;
            }
            if (i == n) {
                break;
            }
            char c = s.charAt(i);
            if (c == '\n') {
                i++;
                line++;
            } else if (c == '#') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else {
                int start = line;
                try {
                    List<String> words = logicalLine();
                    if (!words.isEmpty()) {     // a line of nothing but a continuation is blank
                        lines.add(new Line(start, words));
                    }
                } catch (LineFailed e) {
                    skipRestOfLogicalLine();
                }
            }
        }
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t';
    }

    /** Reads words up to the end of the logical line (consumed); fails with a problem recorded. */
    private List<String> logicalLine() {
        int n = s.length();
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        while (i < n) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> {
                    i++;
                    line++;
                    add(words, w);
                    return words;
                }
                case ' ', '\t' -> {
                    add(words, w);
                    w = null;
                    i++;
                }
                case '\\' -> {
                    if (continuation()) {
                        continue;
                    }
                    if (i + 1 == n) {
                        throw fail(line, "the file ends with a \\ that escapes nothing");
                    }
                    w = started(w).append(s.charAt(i + 1));
                    i += 2;
                }
                case '\'' -> w = singleQuoted(started(w));
                case '"' -> w = doubleQuoted(started(w));
                case '$' -> {
                    w = started(w);
                    if (i + 1 < n && s.charAt(i + 1) == '{') {
                        expand(w);
                    } else {
                        w.append('$');
                        i++;
                    }
                }
                case '|', ';', '<', '>' -> throw fail(line, "unquoted '" + c + "' is not allowed: a line is one command, "
                        + "without pipes, ';' or redirections; quote it to pass it as text");
                default -> {
                    w = started(w).append(c);
                    i++;
                }
            }
        }
        add(words, w);
        return words;
    }

    /** At a {@code \}: when a line end follows, consumes both and returns true. */
    private boolean continuation() {
        int n = s.length();
        if (i + 1 < n && s.charAt(i + 1) == '\n') {
            int at = line;
            i += 2;
            line++;
            if (i == n) {
                throw fail(at, "the last line ends with a \\ but no line follows it");
            }
            return true;
        }
        return false;
    }

    private StringBuilder singleQuoted(StringBuilder w) {
        int opened = line;
        i++;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\'') {
                i++;
                return w;
            }
            if (c == '\n') {
                break;
            }
            w.append(c);
            i++;
        }
        throw fail(opened, "unterminated single quote: a quote must end on the line it starts");
    }

    private StringBuilder doubleQuoted(StringBuilder w) {
        int opened = line;
        i++;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                return w;
            }
            if (c == '\n') {
                break;
            }
            if (c == '\\') {
                if (continuation()) {
                    continue;
                }
                if (i + 1 < n && "\"\\$".indexOf(s.charAt(i + 1)) >= 0) {
                    w.append(s.charAt(i + 1));
                    i += 2;
                } else {
                    w.append('\\');
                    i++;
                }
                continue;
            }
            if (c == '$' && i + 1 < n && s.charAt(i + 1) == '{') {
                expand(w);
                continue;
            }
            w.append(c);
            i++;
        }
        throw fail(opened, "unterminated double quote: a quote must end on the line it starts");
    }

    /** At {@code ${}: appends the value of {@code ${NAME}} or {@code ${NAME:-default}}. */
    private void expand(StringBuilder w) {
        int n = s.length();
        i += 2;
        int nameStart = i;
        if (i < n && nameStart(s.charAt(i))) {
            i++;
            while (i < n && namePart(s.charAt(i))) {
                i++;
            }
        } else {
            throw fail(line, "'${' must be followed by a name of letters, digits and _: ${NAME} or ${NAME:-default}");
        }
        String name = s.substring(nameStart, i);
        String value = env.get(name);
        if (i < n && s.charAt(i) == '}') {
            i++;
            if (value == null) {
                throw fail(line, name + " is not set; set it in the environment, or write ${" + name + ":-default}");
            }
            w.append(value);
            return;
        }
        if (s.startsWith(":-", i)) {
            i += 2;
            int defaultStart = i;
            while (i < n && s.charAt(i) != '}' && s.charAt(i) != '\n') {
                i++;
            }
            if (i == n || s.charAt(i) == '\n') {
                throw fail(line, "unterminated ${" + name + ":-…}: the closing } is missing");
            }
            String fallback = s.substring(defaultStart, i);
            i++;
            w.append(value == null || value.isEmpty() ? fallback : value);
            return;
        }
        throw fail(line, "bad ${" + name + "…}: write ${" + name + "} or ${" + name + ":-default}");
    }

    private static boolean nameStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean namePart(char c) {
        return nameStart(c) || (c >= '0' && c <= '9');
    }

    private static StringBuilder started(StringBuilder w) {
        return w == null ? new StringBuilder() : w;
    }

    private static void add(List<String> words, StringBuilder w) {
        if (w != null) {
            words.add(w.toString());
        }
    }

    private LineFailed fail(int at, String message) {
        problems.add(Problem.syntax(at, message));
        return new LineFailed();
    }

    /** After a problem: skips to the end of the logical line, following continuations. */
    private void skipRestOfLogicalLine() {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < n) {
                if (s.charAt(i + 1) == '\n') {
                    line++;
                }
                i += 2;
                continue;
            }
            i++;
            if (c == '\n') {
                line++;
                return;
            }
        }
    }
}

package fi.hg.bus.script.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Gives each logical line its meaning (SPEC 9): a line that is one word ending in {@code .bus}
 * includes that file; a line whose first word is a global flag ({@code --quiet}, {@code --format},
 * {@code --output}, {@code --trace} or their {@code --no-…} forms) is a line of global flags and may
 * hold nothing else; every other line is a command.
 */
public final class Parser {

    /** Statements and problems; the statements are usable only when there is no problem. */
    public record Parsed(List<Statement> statements, List<Problem> problems) {
        public Parsed {
            statements = List.copyOf(statements);
            problems = List.copyOf(problems);
        }
    }

    public static final Set<String> GLOBAL_FLAGS = Set.of("--quiet", "--no-quiet", "--format", "--no-format",
            "--output", "--no-output", "--trace", "--no-trace");

    private static final String FLAGS_HELP = "--quiet, --format text|json, --output FILE, --trace and their --no- forms";

    private Parser() {
    }

    public static Parsed parse(String text, Map<String, String> env) {
        Lexer.Lexed lexed = Lexer.lex(text, env);
        List<Statement> statements = new ArrayList<>();
        List<Problem> problems = new ArrayList<>(lexed.problems());
        for (Line line : lexed.lines()) {
            Statement st = statement(line, problems);
            if (st != null) {
                statements.add(st);
            }
        }
        return new Parsed(statements, problems);
    }

    /** The meaning of one line, or null with a problem added. */
    static Statement statement(Line line, List<Problem> problems) {
        List<String> words = line.words();
        String first = words.getFirst();
        if (words.size() == 1 && first.endsWith(".bus")) {
            return new Statement.Include(line.number(), first);
        }
        if (GLOBAL_FLAGS.contains(name(first))) {
            try {
                return new Statement.SetFlags(line.number(), flags(words));
            } catch (IllegalArgumentException e) {
                problems.add(Problem.usage(line.number(), e.getMessage()));
                return null;
            }
        }
        return new Statement.Command(line.number(), words);
    }

    private static String name(String word) {
        int eq = word.indexOf('=');
        return eq < 0 ? word : word.substring(0, eq);
    }

    private static List<Flag> flags(List<String> words) {
        List<Flag> flags = new ArrayList<>();
        for (int k = 0; k < words.size(); k++) {
            String word = words.get(k);
            String name = name(word);
            boolean inline = word.length() > name.length();
            if (inline && !name.equals("--format") && !name.equals("--output")) {
                throw new IllegalArgumentException(name + " takes no value");
            }
            switch (name) {
                case "--quiet" -> flags.add(new Flag.Quiet(true));
                case "--no-quiet" -> flags.add(new Flag.Quiet(false));
                case "--trace" -> flags.add(new Flag.Trace(true));
                case "--no-trace" -> flags.add(new Flag.Trace(false));
                case "--no-format" -> flags.add(new Flag.Format(null));
                case "--no-output" -> flags.add(new Flag.Output(null));
                case "--format", "--output" -> {
                    String value;
                    if (inline) {
                        value = word.substring(name.length() + 1);
                    } else if (k + 1 < words.size()) {
                        value = words.get(++k);
                    } else {
                        throw new IllegalArgumentException(name + " needs a value: " + (name.equals("--format") ? "text or json" : "a file name"));
                    }
                    if (name.equals("--format")) {
                        String format = value.strip().toLowerCase(Locale.ROOT);
                        if (!format.equals("text") && !format.equals("json")) {
                            throw new IllegalArgumentException("--format must be text or json, not '" + value + "'");
                        }
                        flags.add(new Flag.Format(format));
                    } else {
                        if (value.isBlank()) {
                            throw new IllegalArgumentException("--output needs a file name");
                        }
                        flags.add(new Flag.Output(value));
                    }
                }
                default -> throw new IllegalArgumentException("'" + word + "' is not a global flag: a line of global flags ("
                        + FLAGS_HELP + ") holds nothing else; put other options on the command's own line");
            }
        }
        return flags;
    }
}

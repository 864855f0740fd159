package fi.hg.bus.script.run;

import fi.hg.bus.script.syntax.Flags;
import fi.hg.bus.script.syntax.Parser;
import fi.hg.bus.script.syntax.Problem;
import fi.hg.bus.script.syntax.Statement;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything that happens before a script runs (SPEC 9): every file is read and parsed, includes
 * are followed (relative to the including file, cycles refused), global flags are carried to the
 * commands after them, and every command is checked against the command definitions. The result
 * is the flat list of commands to run, or every error found; with any error nothing runs.
 *
 * <p>Flags set in an included file apply until the end of that file; the including file goes on
 * with its own. Each file named on the command line starts with the flags given there.
 */
public final class Preflight {

    /** Includes may nest this deep. */
    static final int MAX_DEPTH = 32;
    /** A script (its includes included) runs at most this many commands. */
    static final int MAX_STEPS = 10_000;

    /** The commands to run with the flags in force after the last line, or the errors. */
    public record Plan(List<Step> steps, List<ScriptError> errors, Flags flags) {
        public Plan {
            steps = List.copyOf(steps);
            errors = List.copyOf(errors);
            Objects.requireNonNull(flags, "flags");
        }

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private record Frame(Path real, String shown) {
    }

    private final Commands commands;
    private final Map<String, String> env;
    private final List<Step> steps = new ArrayList<>();
    private final List<ScriptError> errors = new ArrayList<>();
    private boolean tooMany;

    private Preflight(Commands commands, Map<String, String> env) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.env = Map.copyOf(env);
    }

    /** The files named on the command line, in order; each starts with {@code initial}. */
    public static Plan files(Commands commands, Map<String, String> env, List<String> files, Flags initial) {
        Preflight p = new Preflight(commands, env);
        for (String name : files) {
            p.topFile(name, initial);
        }
        return new Plan(p.steps, p.errors, initial);
    }

    /**
     * An entry typed at the shell's prompt (one logical line, or several joined with {@code \}):
     * includes are relative to the current directory, and flags lines change {@code flags} for the
     * entries after it ({@link Plan#flags()}).
     */
    public static Plan typed(Commands commands, Map<String, String> env, String text, Flags flags) {
        Preflight p = new Preflight(commands, env);
        Flags after = p.text(null, null, text, flags, new ArrayList<>());
        return new Plan(p.steps, p.errors, after);
    }

    private void topFile(String name, Flags initial) {
        Path path;
        Path real;
        try {
            path = Path.of(name);
            real = path.toRealPath();
        } catch (InvalidPathException e) {
            errors.add(new ScriptError(null, 0, "cannot read " + name + ": not a file name", ScriptExit.USAGE));
            return;
        } catch (NoSuchFileException e) {
            errors.add(new ScriptError(null, 0, "cannot read " + name + ": no such file", ScriptExit.USAGE));
            return;
        } catch (IOException e) {
            errors.add(new ScriptError(null, 0, "cannot read " + name + ": " + e.getMessage(), ScriptExit.USAGE));
            return;
        }
        switch (SourceText.read(real)) {
            case SourceText.Unreadable u ->
                    errors.add(new ScriptError(null, 0, "cannot read " + name + ": " + u.reason(), ScriptExit.USAGE));
            case SourceText.BadContent b -> errors.add(new ScriptError(name, b.line(), b.reason(), ScriptExit.SYNTAX));
            case SourceText.Text t -> {
                List<Frame> chain = new ArrayList<>();
                chain.add(new Frame(real, name));
                text(name, real.getParent(), t.text(), initial, chain);
            }
        }
    }

    /** Checks the statements of one text; returns the flags in force after its last line. */
    private Flags text(String shown, Path dir, String text, Flags flags, List<Frame> chain) {
        Parser.Parsed parsed = Parser.parse(text, env);
        List<Problem> problems = new ArrayList<>(parsed.problems());
        problems.sort(Comparator.comparingInt(Problem::line));
        int next = 0;
        for (Statement st : parsed.statements()) {
            while (next < problems.size() && problems.get(next).line() < st.line()) {
                problem(shown, problems.get(next++));
            }
            if (tooMany) {
                break;
            }
            switch (st) {
                case Statement.Command c -> command(shown, c, flags);
                case Statement.SetFlags f -> flags = flags.with(f.flags());
                case Statement.Include inc -> include(shown, dir, inc, flags, chain);
            }
        }
        while (next < problems.size()) {
            problem(shown, problems.get(next++));
        }
        return flags;
    }

    private void include(String shown, Path dir, Statement.Include inc, Flags flags, List<Frame> chain) {
        String included;
        Path target;
        try {
            included = (shown == null ? Path.of(inc.path()) : Path.of(shown).resolveSibling(inc.path())).normalize().toString();
            target = dir == null ? Path.of(inc.path()) : dir.resolve(inc.path());
        } catch (InvalidPathException e) {
            syntax(shown, inc.line(), "cannot include " + inc.path() + ": not a file name");
            return;
        }
        Path real;
        try {
            real = target.toRealPath();
        } catch (NoSuchFileException e) {
            syntax(shown, inc.line(), "cannot include " + inc.path() + ": no such file (" + included + ")");
            return;
        } catch (IOException e) {
            syntax(shown, inc.line(), "cannot include " + inc.path() + ": " + e.getMessage());
            return;
        }
        for (int k = 0; k < chain.size(); k++) {
            if (chain.get(k).real().equals(real)) {
                String cycle = chain.subList(k, chain.size()).stream().map(Frame::shown)
                        .collect(Collectors.joining(" -> ")) + " -> " + included;
                syntax(shown, inc.line(), "include cycle: " + cycle);
                return;
            }
        }
        if (chain.size() >= MAX_DEPTH) {
            syntax(shown, inc.line(), "cannot include " + inc.path() + ": includes nest deeper than " + MAX_DEPTH + " files");
            return;
        }
        switch (SourceText.read(real)) {
            case SourceText.Unreadable u -> syntax(shown, inc.line(), "cannot include " + inc.path() + ": " + u.reason());
            case SourceText.BadContent b -> syntax(included, b.line(), b.reason());
            case SourceText.Text t -> {
                chain.add(new Frame(real, included));
                text(included, real.getParent(), t.text(), flags, chain);   // its flags end with it
                chain.removeLast();
            }
        }
    }

    private void command(String shown, Statement.Command c, Flags flags) {
        if (steps.size() >= MAX_STEPS) {
            syntax(shown, c.line(), "more than " + MAX_STEPS + " commands (included files count too); "
                    + "nothing was run");
            tooMany = true;
            return;
        }
        List<String> words = c.words();
        Commands.Check check = commands.check(words);
        if (check instanceof Commands.Check.Valid valid) {
            List<String> args = withFlags(words, flags, valid);
            if (!args.equals(words)) {
                check = commands.check(args);
                if (!(check instanceof Commands.Check.Valid)) {
                    errors.add(new ScriptError(shown, c.line(), message(check) + " (with the global flags of an earlier line)",
                            ScriptExit.USAGE));
                    return;
                }
            }
            steps.add(new Step(shown, c.line(), args, flags.trace()));
            return;
        }
        errors.add(new ScriptError(shown, c.line(), message(check),
                check instanceof Commands.Check.UnknownCommand ? ScriptExit.UNKNOWN_COMMAND : ScriptExit.USAGE));
    }

    private static String message(Commands.Check check) {
        return switch (check) {
            case Commands.Check.Valid v -> "valid";
            case Commands.Check.UnknownCommand u -> u.message();
            case Commands.Check.Invalid i -> i.message();
        };
    }

    /**
     * The line's words with each global flag in force that the command takes and the line does
     * not give itself, before a {@code --} that ends the options.
     */
    static List<String> withFlags(List<String> words, Flags flags, Commands.Check.Valid valid) {
        List<String> extra = new ArrayList<>();
        if (flags.quiet() && takes(valid, "--quiet")) {
            extra.add("--quiet");
        }
        if (flags.format() != null && takes(valid, "--format")) {
            extra.add("--format");
            extra.add(flags.format());
        }
        if (flags.output() != null && takes(valid, "--output")) {
            extra.add("--output");
            extra.add(flags.output());
        }
        if (extra.isEmpty()) {
            return words;
        }
        List<String> args = new ArrayList<>(words);
        int end = args.indexOf("--");
        args.addAll(end < 0 ? args.size() : end, extra);
        return args;
    }

    private static boolean takes(Commands.Check.Valid valid, String option) {
        return valid.options().contains(option) && !valid.given().contains(option);
    }

    private void problem(String shown, Problem p) {
        errors.add(new ScriptError(shown, p.line(), p.message(),
                p.kind() == Problem.Kind.SYNTAX ? ScriptExit.SYNTAX : ScriptExit.USAGE));
    }

    private void syntax(String shown, int line, String message) {
        errors.add(new ScriptError(shown, line, message, ScriptExit.SYNTAX));
    }
}

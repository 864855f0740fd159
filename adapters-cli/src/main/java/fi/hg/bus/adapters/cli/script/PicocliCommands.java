package fi.hg.bus.adapters.cli.script;

import fi.hg.bus.adapters.cli.Cli;
import fi.hg.bus.script.run.Commands;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code bus} command tree as {@code .bus} scripts and the shell see it: a line is checked by
 * parsing it with picocli, without running anything, then run through {@link Cli#execute}.
 * {@code run} and {@code shell} cannot be used inside a script or the shell (an include does what
 * {@code run} would).
 */
public final class PicocliCommands implements Commands {

    /** Commands that make no sense inside a script or the shell. */
    public static final Set<String> NOT_IN_SCRIPTS = Set.of("run", "shell");

    private final Cli cli;

    public PicocliCommands(Cli cli) {
        this.cli = Objects.requireNonNull(cli, "cli");
    }

    public Cli cli() {
        return cli;
    }

    @Override
    public Check check(List<String> args) {
        String first = args.getFirst();
        if (NOT_IN_SCRIPTS.contains(first)) {
            return new Check.Invalid("'" + first + "' cannot be used inside a .bus file or the shell"
                    + (first.equals("run") ? "; to run another .bus file, write its name on a line of its own" : ""));
        }
        ParseResult parsed;
        try {
            parsed = cli.commandLine().parseArgs(args.toArray(String[]::new));
        } catch (UnmatchedArgumentException e) {
            CommandLine at = e.getCommandLine();
            List<String> unmatched = e.getUnmatched();
            if (!at.getSubcommands().isEmpty() && at.getCommandSpec().positionalParameters().isEmpty()
                    && !unmatched.isEmpty() && !unmatched.getFirst().startsWith("-")) {
                return new Check.UnknownCommand("unknown command '" + path(at.getCommandSpec(), unmatched.getFirst()) + "'"
                        + suggestion(at, e));
            }
            return new Check.Invalid(e.getMessage());
        } catch (ParameterException e) {
            return new Check.Invalid(e.getMessage());
        }
        ParseResult leaf = parsed;
        boolean help = helpAsked(leaf);
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
            help |= helpAsked(leaf);
        }
        CommandSpec spec = leaf.commandSpec();
        if (!help && !spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
            String names = String.join(", ", spec.subcommands().keySet());
            return new Check.Invalid(spec.parent() == null ? "a command is needed: " + names
                    : "'" + path(spec, null) + "' needs a command: " + names);
        }
        Set<String> options = spec.options().stream().flatMap(o -> Arrays.stream(o.names())).collect(Collectors.toSet());
        Set<String> given = leaf.matchedOptions().stream().flatMap(o -> Arrays.stream(o.names())).collect(Collectors.toSet());
        return new Check.Valid(options, given);
    }

    @Override
    public int run(List<String> args) {
        return cli.execute(args.toArray(String[]::new));
    }

    private static boolean helpAsked(ParseResult r) {
        return r.isUsageHelpRequested() || r.isVersionHelpRequested();
    }

    /** {@code operator billing frobnicate}: the command's names below the root, and {@code last} when given. */
    private static String path(CommandSpec spec, String last) {
        String qualified = spec.qualifiedName(" ");
        int space = qualified.indexOf(' ');
        String below = space < 0 ? "" : qualified.substring(space + 1);
        if (last == null) {
            return below;
        }
        return below.isEmpty() ? last : below + " " + last;
    }

    /** A close command name (picocli's guess, when it starts like what was typed), else the list of commands there. */
    private static String suggestion(CommandLine at, UnmatchedArgumentException e) {
        String typed = e.getUnmatched().getFirst();
        List<String> close = e.getSuggestions().stream()
                .filter(s -> at.getSubcommands().containsKey(s) && usable(at, s))
                .filter(s -> Character.toLowerCase(s.charAt(0)) == Character.toLowerCase(typed.charAt(0)))
                .toList();
        if (!close.isEmpty()) {
            return "; did you mean '" + path(at.getCommandSpec(), close.getFirst()) + "'?";
        }
        return "; the commands" + (at.getCommandSpec().parent() == null ? "" : " of '" + path(at.getCommandSpec(), null) + "'")
                + " are " + at.getSubcommands().keySet().stream().filter(s -> usable(at, s)).collect(Collectors.joining(", "));
    }

    private static boolean usable(CommandLine at, String name) {
        return at.getCommandSpec().parent() != null || !NOT_IN_SCRIPTS.contains(name);
    }
}

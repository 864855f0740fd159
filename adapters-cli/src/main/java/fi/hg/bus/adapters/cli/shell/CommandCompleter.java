package fi.hg.bus.adapters.cli.shell;

import fi.hg.bus.adapters.cli.script.PicocliCommands;
import fi.hg.bus.script.syntax.Parser;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tab completion from the command definitions: the commands and subcommands of the picocli tree,
 * the options of the command being typed (those already given are not offered again), the values
 * an option lists ({@code text|json} and enums), file names for options that take a file, and at the
 * start of a line the shell's own words, the global flags and {@code .bus} files to include.
 */
final class CommandCompleter implements Completer {

    static final Map<String, String> BUILTINS = Map.of(
            "help", "Show the commands, or the help of one: help operator billing",
            "exit", "Leave the shell (also quit, or Ctrl-D)",
            "quit", "Leave the shell");

    private final CommandLine root;

    CommandCompleter(CommandLine root) {
        this.root = root;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words().subList(0, line.wordIndex());
        String current = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        if (!words.isEmpty() && words.getFirst().equals("help")) {
            words = words.subList(1, words.size());
            complete(words, current, candidates, false);
            return;
        }
        complete(words, current, candidates, true);
    }

    private void complete(List<String> words, String current, List<Candidate> candidates, boolean withOptions) {
        CommandSpec spec = root.getCommandSpec();
        Set<String> given = new HashSet<>();
        OptionSpec pending = null;
        for (String w : words) {
            if (pending != null) {
                pending = null;
                continue;
            }
            CommandLine sub = spec.subcommands().get(w);
            if (sub != null && !(spec.parent() == null && PicocliCommands.NOT_IN_SCRIPTS.contains(w))) {
                spec = sub.getCommandSpec();
                given.clear();
                continue;
            }
            String name = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            OptionSpec option = spec.findOption(name);
            if (option == null && !w.startsWith("-") && !spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
                return;     // not a command: nothing sensible to offer after it
            }
            if (option != null) {
                given.addAll(List.of(option.names()));
                if (option.arity().min() > 0 && !w.contains("=")) {
                    pending = option;
                }
            }
        }
        if (pending != null) {
            values(pending, current, candidates);
            return;
        }
        boolean top = spec.parent() == null;
        if (top && words.isEmpty()) {
            if (withOptions) {
                BUILTINS.forEach((word, description) -> candidates.add(candidate(word, description, "shell")));
                if (current.startsWith("-")) {
                    Parser.GLOBAL_FLAGS.forEach(f -> candidates.add(candidate(f, "Global flag for the lines after it", "global flags")));
                }
                if (!current.startsWith("-")) {
                    files(current, true, candidates);
                }
            }
        }
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            if (top && PicocliCommands.NOT_IN_SCRIPTS.contains(e.getKey())) {
                continue;
            }
            candidates.add(candidate(e.getKey(), first(e.getValue().getCommandSpec().usageMessage().description()), "commands"));
        }
        if (withOptions && (current.startsWith("-") || spec.subcommands().isEmpty())) {
            for (OptionSpec option : spec.options()) {
                if (option.hidden() || (!option.isMultiValue() && containsAny(given, option.names()))) {
                    continue;
                }
                for (String name : option.names()) {
                    candidates.add(candidate(name, first(option.description()), "options"));
                }
            }
        }
    }

    private static void values(OptionSpec option, String current, List<Candidate> candidates) {
        String label = option.paramLabel();
        if (label.matches("[a-z]+(\\|[a-z]+)+")) {        // text|json, json|token
            for (String v : label.split("\\|")) {
                candidates.add(candidate(v, null, "values"));
            }
            return;
        }
        Iterable<String> listed = option.completionCandidates();
        if (listed != null) {
            listed.forEach(v -> candidates.add(candidate(v, null, "values")));
            return;
        }
        Class<?> type = option.type();
        if (Path.class.isAssignableFrom(type) || File.class.isAssignableFrom(type) || label.contains("FILE")) {
            files(current, false, candidates);
        }
    }

    /** File names below the directory {@code current} names; at the start of a line only directories and .bus files. */
    private static void files(String current, boolean busOnly, List<Candidate> candidates) {
        int slash = current.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : current.substring(0, slash + 1);
        String prefix = slash < 0 ? current : current.substring(slash + 1);
        Path dir = Path.of(dirPart.isEmpty() ? "." : dirPart.startsWith("~/") ? System.getProperty("user.home") + dirPart.substring(1) : dirPart);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            int n = 0;
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix) || (name.startsWith(".") && !prefix.startsWith("."))) {
                    continue;
                }
                boolean directory = Files.isDirectory(p);
                if (busOnly && !directory && !name.endsWith(".bus")) {
                    continue;
                }
                String value = dirPart + name + (directory ? "/" : "");
                candidates.add(new Candidate(value, name + (directory ? "/" : ""), "files", null, null, null, !directory));
                if (++n >= 500) {
                    break;
                }
            }
        } catch (IOException | SecurityException e) {
            // nothing to offer from a directory that cannot be read
        }
    }

    private static boolean containsAny(Set<String> given, String[] names) {
        for (String n : names) {
            if (given.contains(n)) {
                return true;
            }
        }
        return false;
    }

    private static String first(String[] description) {
        return description == null || description.length == 0 ? null : description[0];
    }

    private static Candidate candidate(String value, String description, String group) {
        return new Candidate(value, value, group, description, null, null, true);
    }
}

package fi.hg.bus.adapters.cli.shell;

import fi.hg.bus.adapters.cli.Cli;
import fi.hg.bus.adapters.cli.script.PicocliCommands;
import fi.hg.bus.script.run.ScriptExit;
import fi.hg.bus.script.run.Session;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code bus shell}: an interactive prompt on JLine that runs the lines of a {@code .bus} file, one
 * entry at a time: history kept in the config root, tab completion from the command definitions,
 * {@code help}, {@code exit}/{@code quit}; Ctrl-C drops the line being typed (or stops the command
 * that is running), Ctrl-D leaves. An error is printed and the session goes on.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"An interactive prompt for bus commands, written as in .bus files (without the 'bus' prefix).",
                "Tab completes commands, options and file names; history is kept in the config root "
                        + "($BUS_CONFIG_DIR, else $XDG_CONFIG_HOME/bus, else ~/.config/bus) as shell-history.",
                "Type 'help' for the commands, 'exit' or Ctrl-D to leave; Ctrl-C drops the line being typed."})
public final class ShellCommand implements Callable<Integer> {

    static final String PROMPT = "bus> ";

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final Supplier<Cli> commands;

    public ShellCommand(Map<String, String> env, Supplier<Cli> commands) {
        this.env = env;
        this.commands = commands;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PicocliCommands lines = new PicocliCommands(commands.get());
        Session session = new Session(lines, env, err);
        Path history = null;
        try {
            history = ShellHistory.prepare(env);
        } catch (IOException | RuntimeException e) {
            err.println("bus: the shell's history is not kept: cannot write " + ShellHistory.configRoot(env)
                    .resolve(ShellHistory.FILE_NAME) + " (" + e.getMessage() + ")");
            err.flush();
        }
        try (Terminal terminal = TerminalBuilder.builder().name("bus").system(true).build()) {
            LineReaderBuilder builder = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("bus")
                    .parser(new ShellParser())
                    .completer(new CommandCompleter(lines.cli().commandLine()))
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P > ")
                    .variable(LineReader.HISTORY_SIZE, 1000)
                    .variable(LineReader.HISTORY_FILE_SIZE, 10000)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .option(LineReader.Option.HISTORY_TIMESTAMPED, false)
                    .option(LineReader.Option.AUTO_FRESH_LINE, true);
            if (history != null) {
                builder.variable(LineReader.HISTORY_FILE, history);
            }
            LineReader reader = builder.build();
            Thread running = Thread.currentThread();
            terminal.handle(Terminal.Signal.INT, signal -> running.interrupt());   // Ctrl-C while a command runs
            out.println("bus shell: commands as in .bus files, without 'bus'. 'help' lists them; 'exit' or Ctrl-D leaves.");
            out.flush();
            int last = ScriptExit.OK;
            while (true) {
                String entry;
                try {
                    entry = reader.readLine(last == ScriptExit.OK ? PROMPT : "bus [" + last + "]> ");
                } catch (UserInterruptException e) {
                    continue;           // Ctrl-C: the line is dropped
                } catch (EndOfFileException e) {
                    break;              // Ctrl-D
                }
                String words = entry.strip();
                if (words.isEmpty()) {
                    continue;
                }
                if (words.equals("exit") || words.equals("quit")) {
                    break;
                }
                if (words.equals("help") || words.startsWith("help ") || words.startsWith("help\t")) {
                    last = help(lines.cli().commandLine(), words.substring(4).strip(), out, err);
                    continue;
                }
                last = session.enter(entry);
                Thread.interrupted();   // a Ctrl-C that came after the command ended
                out.flush();
                err.flush();
            }
            reader.getHistory().save();
        } finally {
            if (history != null) {
                ShellHistory.tighten(history);
            }
        }
        return ScriptExit.OK;
    }

    /** {@code help}: the commands; {@code help operator billing}: that command's usage. */
    static int help(CommandLine root, String what, PrintWriter out, PrintWriter err) {
        CommandLine at = root;
        List<String> path = what.isEmpty() ? List.of() : Arrays.asList(what.split("[ \t]+"));
        for (String name : path) {
            CommandLine sub = at.getSubcommands().get(name);
            if (sub == null || (at == root && PicocliCommands.NOT_IN_SCRIPTS.contains(name))) {
                err.println("bus: unknown command '" + what + "'");
                err.flush();
                return ScriptExit.UNKNOWN_COMMAND;
            }
            at = sub;
        }
        if (at == root) {
            out.println("Commands (type them without 'bus'; Tab completes, 'help COMMAND' shows one):");
            root.getSubcommands().forEach((name, sub) -> {
                if (!PicocliCommands.NOT_IN_SCRIPTS.contains(name)) {
                    String[] d = sub.getCommandSpec().usageMessage().description();
                    out.printf("  %-10s %s%n", name, d.length == 0 ? "" : d[0]);
                }
            });
            out.println();
            out.println("In the shell:");
            out.println("  help [COMMAND…]  this list, or a command's help");
            out.println("  exit, quit       leave (also Ctrl-D); Ctrl-C drops the line being typed");
            out.println("  FILE.bus         run a .bus file (relative to the current directory)");
            out.println("  --quiet, --format text|json, --output FILE, --trace (and --no-…): on a line of their own,");
            out.println("                   apply to the commands typed after them");
            out.println("  a trailing \\ continues the line; ${NAME} and ${NAME:-default} expand from the environment");
        } else {
            at.usage(out);
        }
        out.flush();
        return ScriptExit.OK;
    }
}

package fi.hg.bus.adapters.cli.script;

import fi.hg.bus.adapters.cli.Cli;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.script.run.ScriptRunner;
import fi.hg.bus.script.syntax.Flags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code bus run FILE.bus…} (also {@code bus FILE.bus}, and executable files that start with {@code #!/usr/bin/env bus}). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run .bus files: one bus command per line, without the 'bus' prefix.",
                "Every file is read and every command checked before anything runs; then the commands run in order "
                        + "and the first that fails stops the run, with its exit code.",
                "Exit codes: 0, the failing command's code, 2 usage error, 65 syntax error, 127 unknown command.",
                "The language is described in docs/scripts.md."},
        footer = {"", "Examples:", "  bus run setup.bus", "  bus run --check setup.bus daily.bus", "  bus setup.bus --trace", ""})
public final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE.bus", description = "The files to run, in order.")
    List<String> files;

    @Option(names = "--check", description = "Read and check everything, run nothing (with --trace: show what would run).")
    boolean check;

    @Option(names = "--trace", description = "Print FILE:LINE: bus ARGS on stderr before each command.")
    boolean trace;

    @Option(names = "--quiet", description = "Give --quiet to every command that takes it, as if each file began with '--quiet'.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "text|json", converter = Format.Converter.class,
            description = "Give --format to every command that takes it.")
    Format format;

    @Option(names = "--output", paramLabel = "FILE", description = "Give --output FILE to every command that takes it.")
    String output;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final Supplier<Cli> commands;

    /** {@code commands} makes the command tree the lines run on, once per run. */
    public RunCommand(Map<String, String> env, Supplier<Cli> commands) {
        this.env = env;
        this.commands = commands;
    }

    @Override
    public Integer call() {
        Flags initial = new Flags(quiet, format == null ? null : format.name().toLowerCase(Locale.ROOT), output, trace);
        ScriptRunner runner = new ScriptRunner(new PicocliCommands(commands.get()), env, spec.commandLine().getErr());
        int code = runner.run(files, initial, check);
        spec.commandLine().getErr().flush();
        return code;
    }
}

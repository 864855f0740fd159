package fi.hg.bus.script.run;

import fi.hg.bus.script.syntax.Flags;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs {@code .bus} files (SPEC 9): preflight over every file and every command, then the commands
 * in order, stopping at the first that fails. Errors go to {@code err} as {@code FILE:LINE: message};
 * {@code --trace} prints {@code FILE:LINE: bus ARGS} there before each command.
 *
 * <p>Exit codes: 0 when every command succeeded; the failing command's own code; for errors found
 * before anything ran, the code of the first one: 2 usage, 65 syntax, 127 unknown command.
 */
public final class ScriptRunner {

    /** At most this many errors are printed; a count of the rest follows. */
    static final int MAX_ERRORS_SHOWN = 50;

    private final Commands commands;
    private final Map<String, String> env;
    private final PrintWriter err;

    public ScriptRunner(Commands commands, Map<String, String> env, PrintWriter err) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.env = Map.copyOf(env);
        this.err = Objects.requireNonNull(err, "err");
    }

    /**
     * Runs the files in order, each starting with {@code initial} flags. With {@code checkOnly}
     * nothing runs: the preflight's errors, or with {@code --trace} the commands that would run,
     * are printed.
     */
    public int run(List<String> files, Flags initial, boolean checkOnly) {
        return execute(Preflight.files(commands, env, files, initial), checkOnly, true);
    }

    /** {@code summary}: end a list of errors with a line saying that nothing ran (not at the prompt). */
    int execute(Preflight.Plan plan, boolean checkOnly, boolean summary) {
        if (!plan.ok()) {
            report(plan.errors(), summary);
            return plan.errors().getFirst().exitCode();
        }
        for (Step step : plan.steps()) {
            if (step.trace()) {
                err.println(step.traced());
                err.flush();
            }
            if (checkOnly) {
                continue;
            }
            int code = commands.run(step.args());
            if (code != ScriptExit.OK) {
                if (step.file() != null) {
                    err.println(step.traced() + ": failed with exit code " + code);
                    err.flush();
                }
                return code;
            }
        }
        return ScriptExit.OK;
    }

    private void report(List<ScriptError> errors, boolean summary) {
        errors.stream().limit(MAX_ERRORS_SHOWN).forEach(e -> err.println(e));
        if (errors.size() > MAX_ERRORS_SHOWN) {
            err.println("bus: … and " + (errors.size() - MAX_ERRORS_SHOWN) + " more errors");
        }
        if (summary) {
            err.println(errors.size() == 1 ? "bus: nothing was run" : "bus: " + errors.size() + " errors; nothing was run");
        }
        err.flush();
    }
}

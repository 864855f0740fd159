package fi.hg.bus.script.run;

import fi.hg.bus.script.syntax.Flags;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;

/**
 * The lines typed at {@code bus shell}'s prompt, read as lines of a {@code .bus} file: each entry
 * is checked, then run; a flags line applies to the entries after it; an error is printed and the
 * session goes on. Includes are relative to the current directory.
 */
public final class Session {

    private final Commands commands;
    private final Map<String, String> env;
    private final ScriptRunner runner;
    private Flags flags = Flags.NONE;

    public Session(Commands commands, Map<String, String> env, PrintWriter err) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.env = Map.copyOf(env);
        this.runner = new ScriptRunner(commands, env, err);
    }

    /** Checks and runs one entry; returns its exit code (as a script's). */
    public int enter(String text) {
        Preflight.Plan plan = Preflight.typed(commands, env, text, flags);
        if (plan.ok()) {
            flags = plan.flags();
        }
        return runner.execute(plan, false, false);
    }

    /** The global flags in force for the next entry. */
    public Flags flags() {
        return flags;
    }
}

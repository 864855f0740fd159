package fi.hg.bus.script.run;

import java.util.List;

/** One command to run: where it was written, its arguments with the global flags added, and whether to trace it. */
public record Step(String file, int line, List<String> args, boolean trace) {

    public Step {
        args = List.copyOf(args);
    }

    /** {@code FILE:LINE: bus ARGS}, as {@code --trace} prints it; the typed line of the shell has no place. */
    public String traced() {
        String command = "bus " + Quoting.join(args);
        return file == null ? command : Quoting.printable(file) + ":" + line + ": " + command;
    }
}

package fi.hg.bus.script.run;

import java.util.List;
import java.util.Set;

/**
 * The {@code bus} commands, as a script sees them: each line is checked before anything runs, then
 * run. The command line implements this with its real command tree; checking parses without
 * running anything.
 */
public interface Commands {

    /** Parses one command line (without the {@code bus} prefix) against the command definitions; runs nothing. */
    Check check(List<String> args);

    /** Runs one command line, whose output goes where the command line's output goes; returns its exit code. */
    int run(List<String> args);

    /** What {@link #check} found. */
    sealed interface Check {

        /**
         * A command that can run. {@code options} are every option name the command takes (so that
         * the global flags are given only to commands that have them); {@code given} the names of
         * the options the line already gives.
         */
        record Valid(Set<String> options, Set<String> given) implements Check {
            public Valid {
                options = Set.copyOf(options);
                given = Set.copyOf(given);
            }
        }

        /** No such command (exit 127). */
        record UnknownCommand(String message) implements Check {
        }

        /** A known command used wrongly: an unknown option, a missing or bad value (exit 2). */
        record Invalid(String message) implements Check {
        }
    }
}

package fi.hg.bus.script.run;

/** The exit codes of SPEC 9; a failing command's own code is passed on as it is. */
public final class ScriptExit {
    public static final int OK = 0;
    /** A usage error: a command's options, a flags line, a file named on the command line that cannot be read. */
    public static final int USAGE = 2;
    /** A syntax error (sysexits' EX_DATAERR): quotes, escapes, ${…}, forbidden characters, includes. */
    public static final int SYNTAX = 65;
    /** A command that does not exist (as in shells). */
    public static final int UNKNOWN_COMMAND = 127;

    private ScriptExit() {
    }
}

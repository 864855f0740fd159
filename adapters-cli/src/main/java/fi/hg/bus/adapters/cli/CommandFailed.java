package fi.hg.bus.adapters.cli;

/** A command that cannot do its work; the message goes to stderr and the process exits with the code. */
public final class CommandFailed extends RuntimeException {

    private final int exitCode;

    public CommandFailed(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public static CommandFailed usage(String message) {
        return new CommandFailed(ExitCodes.USAGE, message);
    }

    public static CommandFailed credentials(String message) {
        return new CommandFailed(ExitCodes.CREDENTIALS, message);
    }

    public int exitCode() {
        return exitCode;
    }
}

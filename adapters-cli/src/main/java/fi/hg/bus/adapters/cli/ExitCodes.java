package fi.hg.bus.adapters.cli;

/** The exit codes every command uses. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    /** Credentials missing, expired or lacking scope. */
    public static final int CREDENTIALS = 3;
    /** Refused by the server: billing required or quota exceeded. */
    public static final int REFUSED = 4;

    private ExitCodes() {
    }
}

package fi.hg.bus.script.run;

import java.util.Objects;

/**
 * An error found before anything runs, printed as {@code FILE:LINE: message}. {@code file} is null
 * for the line typed at the shell's prompt and for a file named on the command line that cannot
 * be read; those print as {@code bus: message}.
 */
public record ScriptError(String file, int line, String message, int exitCode) {

    public ScriptError {
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        String text = Quoting.printable(message);
        return file == null ? "bus: " + text : Quoting.printable(file) + ":" + line + ": " + text;
    }
}

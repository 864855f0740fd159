package fi.hg.bus.adapters.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Where a command's result goes: stdout, or the file named by {@code --output}; nothing with {@code --quiet}. */
public final class Output {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the result to FILE instead of stdout.")
    Path file;

    @Option(names = "--quiet", description = "Print nothing on success.")
    boolean quiet;

    /** Whether a result would go nowhere: {@code --quiet} without {@code --output}. */
    public boolean discards() {
        return quiet && file == null;
    }

    /**
     * Writes a result that holds a secret: a file named by {@code --output} is made readable and
     * writable by its owner only (mode 0600) before anything is written to it.
     */
    public void secretResult(String text) {
        if (file == null) {
            result(text);
            return;
        }
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, text + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new CommandFailed(ExitCodes.FAILURE, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Writes the command's result, followed by a newline. */
    public void result(String text) {
        if (file != null) {
            try {
                Files.writeString(file, text + System.lineSeparator(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CommandFailed(ExitCodes.FAILURE, "cannot write " + file + ": " + e.getMessage());
            }
            return;
        }
        if (!quiet) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(text);
            out.flush();
        }
    }
}

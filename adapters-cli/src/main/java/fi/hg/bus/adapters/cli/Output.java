package fi.hg.bus.adapters.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
    }

    /** Whether the result goes to a file (then it is plain text, never coloured). */
    public boolean toFile() {
        return file != null;
    }

    /**
     * Writes a result that is a secret (a token): like {@link #result}, but a file named by
     * {@code --output} is made readable by its owner only (mode 0600) before anything is written.
     */
    public void secret(String text) {
        if (file != null) {
            try {
                if (Files.exists(file)) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } else {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
            } catch (IOException e) {
                throw new CommandFailed(ExitCodes.FAILURE, "cannot write " + file + " (--output): " + reason(e));
            } catch (UnsupportedOperationException e) {
                throw new CommandFailed(ExitCodes.FAILURE, "cannot write " + file
                        + " (--output): the file system cannot restrict the file to its owner");
            }
        }
        result(text);
    }

    /** Writes the command's result, followed by a newline. */
    public void result(String text) {
        if (file != null) {
            try {
                Files.writeString(file, text + System.lineSeparator(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CommandFailed(ExitCodes.FAILURE, "cannot write " + file + " (--output): " + reason(e));
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

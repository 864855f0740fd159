package fi.hg.bus.adapters.cli.shell;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where {@code bus shell} keeps its history: {@code shell-history} in the config root
 * ({@code $BUS_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/bus}, else {@code ~/.config/bus}; SPEC 8),
 * readable by its owner only, like the token files beside it.
 */
public final class ShellHistory {

    public static final String FILE_NAME = "shell-history";

    private ShellHistory() {
    }

    /** The config root of SPEC 8. */
    public static Path configRoot(Map<String, String> env) {
        String bus = env.get("BUS_CONFIG_DIR");
        if (bus != null && !bus.isBlank()) {
            return Path.of(bus);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "bus");
        }
        String home = env.get("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".config", "bus");
    }

    /** The history file, made (mode 0600, in a directory made 0700) when it does not exist yet. */
    public static Path prepare(Map<String, String> env) throws IOException {
        Path root = configRoot(env);
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
            posix(root, "rwx------");
        }
        Path file = root.resolve(FILE_NAME);
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return file;
        }
        posix(file, "rw-------");
        return file;
    }

    /** Keeps the history private after it was written (a rewrite may have made a new file). */
    static void tighten(Path file) {
        try {
            if (Files.exists(file)) {
                posix(file, "rw-------");
            }
        } catch (IOException e) {
            // the history stays as it is; nothing to tell the user about
        }
    }

    private static void posix(Path path, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own defaults apply
        }
    }
}

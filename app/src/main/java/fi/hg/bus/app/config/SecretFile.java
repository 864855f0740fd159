package fi.hg.bus.app.config;

import fi.hg.bus.domain.auth.SigningSecret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The HS256 secret that the embedded store makes for itself: created once in the data directory
 * with mode 0600, and read back on every later start.
 */
public final class SecretFile {

    public static final String NAME = "hs256-secret";

    private SecretFile() {
    }

    public static Path path(Path dataDirectory) {
        return dataDirectory.resolve(NAME);
    }

    public static SigningSecret loadOrCreate(Path dataDirectory) {
        Path file = path(dataDirectory);
        try {
            Files.createDirectories(dataDirectory);
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String text = SigningSecret.ofBytes(random).encoded() + "\n";
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
                } catch (FileAlreadyExistsException raced) {
                    // another process made it first: use theirs
                }
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the HS256 secret in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a secret file: its text without the final line break, by the same rules as the environment. */
    public static SigningSecret read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return SigningSecret.parse(text);
    }
}

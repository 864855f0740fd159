package fi.hg.bus.adapters.cli.config;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A file that holds one bearer token: written with mode 0600 (its directory, when made here, 0700)
 * by replacing the file at once, so that no other user can read it even for a moment; read back
 * trimmed, with an optional {@code Bearer } prefix dropped.
 */
public final class TokenFile {

    /** RFC 6750 token68 characters: what a JWT is made of. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final Pattern BEARER = Pattern.compile("(?i)^bearer\\s+");
    private static final int MAX_LENGTH = 16 * 1024;

    private TokenFile() {
    }

    /** The token in {@code file}; empty when there is no such file. Unreadable or malformed: exit 3. */
    public static Optional<String> read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_LENGTH) {
                throw CommandFailed.credentials("the token file " + file + " is too large to hold a token");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw CommandFailed.credentials("cannot read the token file " + file + ": permission denied");
        } catch (IOException e) {
            throw CommandFailed.credentials("cannot read the token file " + file + ": " + e.getMessage());
        }
        return Optional.of(check(text, "the token file " + file));
    }

    /** A token from a file's or a variable's text; {@code where} names it in messages. */
    public static String check(String text, String where) {
        String token = BEARER.matcher(text.strip()).replaceFirst("");
        if (token.isEmpty()) {
            throw CommandFailed.credentials(where + " is empty");
        }
        if (token.length() > MAX_LENGTH || !TOKEN.matcher(token).matches()) {
            throw CommandFailed.credentials(where + " does not hold a token (one line of letters, digits and . _ ~ + / - =)");
        }
        return token;
    }

    /** Writes {@code token} to {@code file} with mode 0600, replacing what was there; exit 1 when it cannot. */
    public static void write(Path file, String token) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException raced) {
                    // made at the same time by another bus
                }
            }
            Path temporary = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temporary, token + "\n", StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (UnsupportedOperationException e) {
            throw new CommandFailed(ExitCodes.FAILURE, "cannot save the token in " + file
                    + ": the file system cannot restrict the file to its owner");
        } catch (IOException e) {
            throw new CommandFailed(ExitCodes.FAILURE, "cannot save the token in " + file + ": " + reason(e));
        }
    }

    /** Removes the file when it exists; returns whether it did. */
    public static boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CommandFailed(ExitCodes.FAILURE, "cannot remove " + file + ": " + reason(e));
        }
    }

    /** A short reason for a failed file operation. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

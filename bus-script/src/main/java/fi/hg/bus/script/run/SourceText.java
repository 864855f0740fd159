package fi.hg.bus.script.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a {@code .bus} file: a regular file of UTF-8 text, at most {@link #MAX_BYTES}. */
final class SourceText {

    static final int MAX_BYTES = 1024 * 1024;

    /** The text, or why there is none. */
    sealed interface Read {
    }

    record Text(String text) implements Read {
    }

    /** The file cannot be read at all: missing, a directory, not a regular file, no permission. */
    record Unreadable(String reason) implements Read {
    }

    /** The file was read but is no {@code .bus} text; {@code line} is where (1 when it is the whole file). */
    record BadContent(int line, String reason) implements Read {
    }

    private SourceText() {
    }

    static Read read(Path path) {
        try {
            if (Files.isDirectory(path)) {
                return new Unreadable("it is a directory");
            }
            if (!Files.exists(path)) {
                return new Unreadable("no such file");
            }
            if (!Files.isRegularFile(path)) {
                return new Unreadable("not a regular file");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                return new BadContent(1, "the file is larger than 1 MiB, the most a .bus file may hold");
            }
            return decode(bytes);
        } catch (NoSuchFileException e) {
            return new Unreadable("no such file");
        } catch (AccessDeniedException e) {
            return new Unreadable("permission denied");
        } catch (IOException | SecurityException e) {
            return new Unreadable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static Read decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int line = 1;
            for (int k = 0; k < in.position(); k++) {
                if (bytes[k] == '\n') {
                    line++;
                }
            }
            return new BadContent(line, "not UTF-8 text: a .bus file is plain UTF-8 text");
        }
        out.flip();
        return new Text(out.toString());
    }
}

package fi.hg.bus.app.logging;

import fi.hg.bus.adapters.http.RequestIds;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: {@code time} (RFC 3339, UTC), {@code level}, {@code logger},
 * {@code message}, {@code request_id} (null outside a request) and, when the record carries one,
 * {@code exception} (the stack trace as one string). Every string is escaped, so a record is always
 * exactly one line of valid JSON whatever its message holds.
 */
public final class JsonLogFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(200);
        line.append("{\"time\":");
        string(DateTimeFormatter.ISO_INSTANT.format(record.getInstant()), line);
        line.append(",\"level\":");
        string(record.getLevel().getName(), line);
        line.append(",\"logger\":");
        string(record.getLoggerName(), line);
        line.append(",\"message\":");
        string(formatMessage(record), line);
        line.append(",\"request_id\":");
        string(RequestIds.current(), line);
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter w = new PrintWriter(trace)) {
                record.getThrown().printStackTrace(w);
            }
            line.append(",\"exception\":");
            string(trace.toString().stripTrailing(), line);
        }
        return line.append('}').append(System.lineSeparator()).toString();
    }

    /** A JSON string (or null), escaping quotes, backslashes, control characters and line separators. */
    static void string(String text, StringBuilder out) {
        if (text == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029'
                            || (Character.isSurrogate(c) && !pairedSurrogate(text, i))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Whether the surrogate at {@code i} is half of a valid pair (a lone one is written escaped). */
    private static boolean pairedSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}

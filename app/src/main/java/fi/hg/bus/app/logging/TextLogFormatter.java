package fi.hg.bus.app.logging;

import fi.hg.bus.adapters.http.RequestIds;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code 2026-11-05 02:10:00.123 INFO fi.hg.bus.Logger request_id=4bf9…: message}: one line per
 * record (the request id only while a request is answered), and the stack trace on the lines after
 * it when there is one. Control characters in the message are written escaped ({@code \n},
 * {@code \u001b}), so that no input quoted in a message can forge a log line.
 */
public final class TextLogFormatter extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160);
        line.append(TIME.format(record.getInstant())).append(' ')
                .append(record.getLevel().getName()).append(' ')
                .append(record.getLoggerName());
        String requestId = RequestIds.current();
        if (requestId != null) {
            line.append(" request_id=").append(requestId);
        }
        line.append(": ");
        escapeControls(formatMessage(record), line);
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter w = new PrintWriter(trace)) {
                w.println();
                record.getThrown().printStackTrace(w);
            }
            String text = trace.toString();
            line.append(text, 0, text.length() - System.lineSeparator().length());
        }
        return line.append(System.lineSeparator()).toString();
    }

    static void escapeControls(String message, StringBuilder out) {
        if (message == null) {
            out.append("null");
            return;
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if ((c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
    }
}

package fi.hg.bus.app.observe;

import fi.hg.bus.app.logging.JsonLogFormatter;
import fi.hg.bus.app.logging.TextLogFormatter;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.LogRecord;

/**
 * Every log record of the process while installed (our code at every level, libraries from
 * INFO), written at once in both formats, as the console would write them on the thread that
 * logged (the request id is read there).
 */
public final class CapturedLogs extends ProcessLogHandler {

    private final TextLogFormatter text = new TextLogFormatter();
    private final JsonLogFormatter json = new JsonLogFormatter();
    private final List<String> textLines = new ArrayList<>();
    private final List<String> jsonLines = new ArrayList<>();

    private CapturedLogs() {
    }

    public static CapturedLogs install() {
        CapturedLogs logs = new CapturedLogs();
        return logs.installed(logs);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        textLines.add(text.format(record));
        jsonLines.add(json.format(record));
    }

    /** The text format's output so far. */
    public synchronized String text() {
        return String.join("", textLines);
    }

    /** The JSON format's output so far, one object per line. */
    public synchronized String json() {
        return String.join("", jsonLines);
    }

    /** Each record as the text format wrote it. */
    public synchronized List<String> textRecords() {
        return List.copyOf(textLines);
    }

    public synchronized List<String> jsonRecords() {
        return List.copyOf(jsonLines);
    }
}

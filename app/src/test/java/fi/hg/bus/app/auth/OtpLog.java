package fi.hg.bus.app.auth;

import fi.hg.bus.app.observe.ProcessLogHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the one-time codes that the console sender writes to the server's log
 * ({@code BUS_AUTH_OTP <email> <code>}), as a developer reads them from the terminal; and keeps
 * every log record of the process while it is installed, so that tests can look for secrets in
 * the logs.
 */
final class OtpLog extends ProcessLogHandler {

    private static final Pattern LINE = Pattern.compile("BUS_AUTH_OTP (\\S+) (\\d{6})");

    private final List<LogRecord> records = new ArrayList<>();

    private OtpLog() {
    }

    static OtpLog install() {
        OtpLog log = new OtpLog();
        return log.installed(log);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
    }

    /** The last code the log shows for {@code email}. */
    synchronized Optional<String> lastCode(String email) {
        String code = null;
        for (LogRecord r : records) {
            Matcher m = LINE.matcher(String.valueOf(r.getMessage()));
            if (m.find() && m.group(1).equals(email)) {
                code = m.group(2);
            }
        }
        return Optional.ofNullable(code);
    }

    synchronized String code(String email) {
        return lastCode(email).orElseThrow(() -> new AssertionError("no code was logged for " + email));
    }

    /** Every message logged so far, with its thrown exceptions' messages. */
    synchronized String everything() {
        StringBuilder b = new StringBuilder();
        for (LogRecord r : records) {
            b.append(r.getLoggerName()).append(' ').append(r.getMessage());
            if (r.getParameters() != null) {
                for (Object p : r.getParameters()) {
                    b.append(' ').append(p);
                }
            }
            for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                b.append(' ').append(t);
            }
            b.append('\n');
        }
        return b.toString();
    }
}

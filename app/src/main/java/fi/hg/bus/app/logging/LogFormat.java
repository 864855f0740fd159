package fi.hg.bus.app.logging;

import java.util.Locale;
import java.util.Optional;

/** {@code BUS_LOG_FORMAT}: how log records are written to stderr. */
public enum LogFormat {
    /** One line per record: time (UTC), level, logger, the request id when there is one, message. */
    TEXT,
    /** One JSON object per line. */
    JSON;

    /** {@code text} (also {@code human}, {@code plain}) or {@code json}, in any case; anything else is empty. */
    public static Optional<LogFormat> parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "text", "human", "plain" -> Optional.of(TEXT);
            case "json" -> Optional.of(JSON);
            default -> Optional.empty();
        };
    }

    /** The formatter of this format. */
    public java.util.logging.Formatter formatter() {
        return this == JSON ? new JsonLogFormatter() : new TextLogFormatter();
    }
}

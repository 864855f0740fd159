package fi.hg.bus.app;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/** One line per log record on stderr; libraries speak only when something is wrong. */
final class Logging {

    private static final String CONFIG = """
            handlers=java.util.logging.ConsoleHandler
            .level=INFO
            java.util.logging.ConsoleHandler.level=ALL
            java.util.logging.ConsoleHandler.formatter=fi.hg.bus.app.logging.TextLogFormatter
            io.helidon.level=WARNING
            com.zaxxer.hikari.level=SEVERE
            org.flywaydb.level=WARNING
            io.zonky.level=WARNING
            org.jooq.level=WARNING
            org.jooq.Constants.level=OFF
            """;

    private Logging() {
    }

    static void configure() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try {
            LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package fi.hg.bus.app.observe;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.Main;
import fi.hg.bus.app.config.ConfigException;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.config.ServeConfig;
import fi.hg.bus.app.logging.JsonLogFormatter;
import fi.hg.bus.app.logging.LogFormat;
import fi.hg.bus.app.logging.TextLogFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code BUS_LOG_FORMAT}: the text and JSON formats, and a bad value stopping the start with exit 2. */
class LogFormatTest {

    private static final String[] HOSTILE = {
            "plain", "two\nlines", "carriage\rreturn", "quote \" and backslash \\", "esc \u001b[31m red",
            "nul \u0000 byte", "tab\there", "line sep \u2028 and \u2029", "lone \ud800 surrogate", "emoji \ud83d\ude00",
            "{\"level\":\"SEVERE\",\"message\":\"forged\"}", "del \u007f c1 \u0085"};

    private static LogRecord record(Level level, String message, Throwable thrown) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("fi.hg.bus.test");
        r.setInstant(Instant.parse("2026-11-05T02:10:00.123Z"));
        r.setThrown(thrown);
        return r;
    }

    @Test
    void every_json_record_is_one_line_of_one_object_with_the_named_keys() throws Exception {
        JsonLogFormatter json = new JsonLogFormatter();
        for (String message : HOSTILE) {
            for (Throwable thrown : new Throwable[]{null, new IllegalStateException("boom\nsecond line", new RuntimeException("cause"))}) {
                String line = json.format(record(Level.WARNING, message, thrown));
                assertTrue(line.endsWith(System.lineSeparator()), line);
                assertEquals(1, line.lines().count(), "one line: " + line);
                JsonNode node = RequestIdTest.parse(line);
                Set<String> keys = new TreeSet<>();
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    keys.add(it.next());
                }
                Set<String> expected = new TreeSet<>(Set.of("time", "level", "logger", "message", "request_id"));
                if (thrown != null) {
                    expected.add("exception");
                    assertTrue(node.get("exception").asText().contains("IllegalStateException: boom\nsecond line"));
                    assertTrue(node.get("exception").asText().contains("Caused by: java.lang.RuntimeException: cause"));
                }
                assertEquals(expected, keys);
                assertEquals("2026-11-05T02:10:00.123Z", node.get("time").asText());
                assertEquals("WARNING", node.get("level").asText());
                assertEquals("fi.hg.bus.test", node.get("logger").asText());
                assertTrue(node.get("request_id").isNull(), "no request outside a request");
                if (!message.contains("\ud800")) {
                    assertEquals(message, node.get("message").asText(), "the message survives exactly");
                }
            }
        }
    }

    @Test
    void json_records_format_their_parameters() {
        LogRecord r = record(Level.INFO, "export {0} failed after {1} attempts", null);
        r.setParameters(new Object[]{"key-1", 3});
        assertEquals("export key-1 failed after 3 attempts",
                RequestIdTest.parse(new JsonLogFormatter().format(r)).get("message").asText());
    }

    @Test
    void a_text_record_is_one_line_with_control_characters_escaped() {
        TextLogFormatter text = new TextLogFormatter();
        assertEquals("2026-11-05 02:10:00.123 INFO fi.hg.bus.test: ready" + System.lineSeparator(),
                text.format(record(Level.INFO, "ready", null)));
        for (String message : HOSTILE) {
            String line = text.format(record(Level.INFO, message, null));
            assertEquals(1, line.lines().count(), "one line: " + line);
            assertFalse(line.substring(0, line.length() - System.lineSeparator().length()).chars()
                    .anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f || c == 0x85 || c == 0x2028), line);
        }
        assertTrue(text.format(record(Level.INFO, "two\nlines", null)).contains("two\\nlines"));
        String withTrace = text.format(record(Level.SEVERE, "failed", new IllegalStateException("boom")));
        assertTrue(withTrace.startsWith("2026-11-05 02:10:00.123 SEVERE fi.hg.bus.test: failed" + System.lineSeparator()
                + "java.lang.IllegalStateException: boom"), withTrace);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "JSON", " json "})
    void json_is_chosen_by_name(String value) {
        assertEquals(LogFormat.JSON, read(Map.of("BUS_LOG_FORMAT", value)).observability().logFormat());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "human", "plain", "Text"})
    void text_is_chosen_by_name(String value) {
        assertEquals(LogFormat.TEXT, read(Map.of("BUS_LOG_FORMAT", value)).observability().logFormat());
    }

    @Test
    void text_is_the_default() {
        assertEquals(LogFormat.TEXT, read(Map.of()).observability().logFormat());
    }

    @ParameterizedTest
    @ValueSource(strings = {"xml", "jsonl", "json-lines", "logfmt", "text json"})
    void another_value_is_a_configuration_error(String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of("BUS_LOG_FORMAT", value)));
        assertEquals("BUS_LOG_FORMAT must be text or json", e.getMessage());
    }

    @Test
    void serve_with_a_bad_log_format_exits_2_naming_the_variable(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Env(Map.of("BUS_LOG_FORMAT", "xml", "BUS_DATA_DIR", dir.toString())),
                new String[]{"serve", "--addr", "127.0.0.1:0"}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("BUS_LOG_FORMAT"), err.toString());
    }

    @Test
    void a_metrics_token_must_be_long_enough_and_is_never_shown() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of("BUS_METRICS_TOKEN", "short-secret")));
        assertFalse(e.getMessage().contains("short-secret"));
        ServeConfig config = read(Map.of("BUS_METRICS_TOKEN", "metrics-token-0123456789"));
        assertEquals("metrics-token-0123456789", config.observability().metricsToken().orElseThrow());
        assertFalse(config.toString().contains("metrics-token-0123456789"));
    }

    private static ServeConfig read(Map<String, String> env) {
        return ServeConfig.read(new Env(env), "127.0.0.1:0", null);
    }
}

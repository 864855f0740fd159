package fi.hg.bus.adapters.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationsTest {

    @Test
    void format_writes_what_parse_reads() {
        for (String text : new String[]{"30s", "2m", "1h30m", "500ms", "2d", "1m5s"}) {
            assertEquals(text, Durations.format(Durations.parse(text)));
        }
        assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("0s", Durations.format(Duration.ZERO));
    }
}

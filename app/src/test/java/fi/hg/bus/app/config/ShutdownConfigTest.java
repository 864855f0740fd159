package fi.hg.bus.app.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BUS_SHUTDOWN_DRAIN and BUS_SHUTDOWN_GRACE: how SIGTERM stops bus serve. */
class ShutdownConfigTest {

    @Test
    void by_default_the_port_closes_at_once_and_requests_in_flight_get_ten_seconds() {
        assertEquals(new ShutdownConfig(Duration.ZERO, Duration.ofSeconds(10)), ShutdownConfig.read(new Env(Map.of())));
        assertEquals(ShutdownConfig.defaults(), ShutdownConfig.read(new Env(Map.of())));
    }

    @Test
    void both_are_read_as_durations_people_write() {
        ShutdownConfig c = ShutdownConfig.read(new Env(Map.of("BUS_SHUTDOWN_DRAIN", "5s", "BUS_SHUTDOWN_GRACE", "1m30s")));
        assertEquals(Duration.ofSeconds(5), c.drain());
        assertEquals(Duration.ofSeconds(90), c.grace());
        assertEquals(Duration.ZERO, ShutdownConfig.read(new Env(Map.of("BUS_SHUTDOWN_GRACE", "0s"))).grace());
        assertEquals(Duration.ofMillis(250), ShutdownConfig.read(new Env(Map.of("BUS_SHUTDOWN_DRAIN", "250ms"))).drain());
    }

    @Test
    void a_malformed_negative_or_oversized_value_stops_the_start_naming_the_variable() {
        for (String bad : new String[] {"ten", "10", "-5s", "5 s", "1.5s", "11m", "1h", "999999999d", "5s\u0000"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ShutdownConfig.read(new Env(Map.of("BUS_SHUTDOWN_GRACE", bad))), bad);
            assertTrue(e.getMessage().startsWith("BUS_SHUTDOWN_GRACE must be"), e.getMessage());
            assertFalse(e.getMessage().contains("\u0000"), "the value is not echoed: " + e.getMessage());
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> ShutdownConfig.read(new Env(Map.of("BUS_SHUTDOWN_DRAIN", "soon"))));
        assertTrue(e.getMessage().startsWith("BUS_SHUTDOWN_DRAIN must be"), e.getMessage());
    }

    @Test
    void serve_reads_it_with_the_rest_of_its_configuration() {
        ServeConfig c = ServeConfig.read(new Env(Map.of("BUS_SHUTDOWN_GRACE", "3s")), "127.0.0.1:0", null);
        assertEquals(Duration.ofSeconds(3), c.shutdown().grace());
        assertThrows(ConfigException.class, () -> ServeConfig.read(new Env(Map.of("BUS_SHUTDOWN_DRAIN", "x")), "127.0.0.1:0", null));
    }
}

package fi.hg.bus.domain.dashboard;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RateLimitTest {

    @Test
    void limits_are_written_as_a_count_per_unit() {
        assertEquals(Optional.of(new RateLimit(600, Duration.ofMinutes(1))), RateLimit.parse("600/min"));
        assertEquals(Optional.of(new RateLimit(10, Duration.ofSeconds(1))), RateLimit.parse("10/s"));
        assertEquals(Optional.of(new RateLimit(100, Duration.ofMinutes(5))), RateLimit.parse("100/5min"));
        assertEquals(Optional.of(new RateLimit(5000, Duration.ofHours(1))), RateLimit.parse(" 5000 / Hour "));
        assertEquals(Optional.of(new RateLimit(100000, Duration.ofDays(1))), RateLimit.parse("100000/day"));
        assertEquals(Optional.empty(), RateLimit.parse("off"));
        assertEquals(Optional.empty(), RateLimit.parse("0"));
    }

    @Test
    void anything_else_is_refused_with_the_reason() {
        for (String bad : new String[]{"", "600", "600/fortnight", "-1/min", "0/min", "600/0min", "1/2days", "10/500ms",
                "99999999999/min", "600/min;drop"}) {
            assertThrows(IllegalArgumentException.class, () -> RateLimit.parse(bad), bad);
        }
    }

    @Test
    void windows_are_fixed_and_aligned_to_the_epoch() {
        RateLimit perMinute = new RateLimit(600, Duration.ofMinutes(1));
        Instant t = Instant.parse("2026-05-26T10:15:42.123Z");
        assertEquals(Instant.parse("2026-05-26T10:15:00Z"), perMinute.windowStart(t));
        assertEquals(Instant.parse("2026-05-26T10:16:00Z"), perMinute.windowEnd(t));
        assertEquals("600 requests per minute", perMinute.toString());
        assertEquals("100 requests per 5 minutes", new RateLimit(100, Duration.ofMinutes(5)).toString());
    }
}

package fi.hg.bus.domain.export;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-05-03T10:00:00Z");

    @Test
    void the_wait_doubles_from_the_first_up_to_the_longest() {
        RetryPolicy retry = new RetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(30), 100);

        assertEquals(Optional.of(NOW.plusSeconds(5)), retry.nextAttempt(1, NOW));
        assertEquals(Optional.of(NOW.plusSeconds(10)), retry.nextAttempt(2, NOW));
        assertEquals(Optional.of(NOW.plusSeconds(20)), retry.nextAttempt(3, NOW));
        assertEquals(Optional.of(NOW.plusSeconds(30)), retry.nextAttempt(4, NOW));
        assertEquals(Optional.of(NOW.plusSeconds(30)), retry.nextAttempt(99, NOW));
    }

    @Test
    void after_the_last_attempt_the_export_is_given_up() {
        RetryPolicy retry = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(2), 3);

        assertEquals(Optional.empty(), retry.nextAttempt(3, NOW));
        assertEquals(Optional.empty(), RetryPolicy.defaults().nextAttempt(50, NOW));
        assertEquals(Optional.of(NOW.plus(Duration.ofHours(1))), RetryPolicy.defaults().nextAttempt(49, NOW));
    }

    @Test
    void a_policy_needs_a_positive_first_wait_not_longer_than_the_longest_and_one_attempt() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
    }
}

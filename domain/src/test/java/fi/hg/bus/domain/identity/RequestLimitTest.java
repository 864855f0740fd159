package fi.hg.bus.domain.identity;

import fi.hg.bus.domain.auth.Scopes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestLimitTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:15:00Z");
    private final RequestLimit fivePerQuarter = new RequestLimit(5, Duration.ofMinutes(15));

    @Test
    void requests_below_the_limit_are_allowed() {
        assertTrue(fivePerQuarter.refusal(List.of(), NOW).isEmpty());
        assertTrue(fivePerQuarter.refusal(List.of(NOW, NOW, NOW, NOW), NOW).isEmpty());
    }

    @Test
    void at_the_limit_the_wait_is_until_the_oldest_request_leaves_the_window() {
        List<Instant> earlier = List.of(NOW.minusSeconds(600), NOW.minusSeconds(300), NOW, NOW, NOW);
        assertEquals(Duration.ofSeconds(300), fivePerQuarter.refusal(earlier, NOW).orElseThrow());
    }

    @Test
    void requests_older_than_the_window_do_not_count() {
        List<Instant> earlier = List.of(NOW.minus(Duration.ofMinutes(15)), NOW, NOW, NOW, NOW);
        assertTrue(fivePerQuarter.refusal(earlier, NOW).isEmpty());
    }

    @Test
    void the_wait_is_at_least_a_second() {
        List<Instant> earlier = List.of(NOW.minus(Duration.ofMinutes(15)).plusMillis(1));
        assertEquals(Duration.ofSeconds(1), new RequestLimit(1, Duration.ofMinutes(15)).refusal(earlier, NOW).orElseThrow());
    }

    @Test
    void a_limit_allows_something() {
        assertThrows(IllegalArgumentException.class, () -> new RequestLimit(0, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new RequestLimit(1, Duration.ZERO));
    }

    @Test
    void the_scope_policy_names_every_scope_it_does_not_allow_in_the_order_asked() {
        ApiScopePolicy policy = new ApiScopePolicy(Scopes.parse(ApiScopePolicy.DEFAULT));
        assertEquals(List.of(), policy.notAllowed(Scopes.parse("billing:read billing:setup")));
        assertEquals(List.of("usage:delete", "container:run"), policy.notAllowed(Scopes.parse("usage:delete llm:proxy container:run")));
    }
}

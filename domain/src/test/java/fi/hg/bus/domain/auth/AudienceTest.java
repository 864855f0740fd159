package fi.hg.bus.domain.auth;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AudienceTest {

    @Test
    void each_audience_is_found_by_its_uri() {
        assertEquals(Optional.of(Audience.API), Audience.fromUri("ai.hg.fi/api"));
        assertEquals(Optional.of(Audience.INTERNAL), Audience.fromUri("ai.hg.fi/internal"));
        assertEquals(Optional.of(Audience.AUTH), Audience.fromUri("ai.hg.fi/auth"));
    }

    @Test
    void every_audience_reads_back_from_its_own_uri() {
        for (Audience audience : Audience.values()) {
            assertEquals(Optional.of(audience), Audience.fromUri(audience.uri()));
        }
    }

    @Test
    void there_are_exactly_the_three_audiences_of_the_spec() {
        assertEquals(3, Audience.values().length);
    }

    @Test
    void an_unknown_uri_is_no_audience() {
        assertEquals(Optional.empty(), Audience.fromUri("ai.hg.fi/admin"));
        assertEquals(Optional.empty(), Audience.fromUri(""));
    }

    @Test
    void near_misses_are_no_audience() {
        assertEquals(Optional.empty(), Audience.fromUri("AI.HG.FI/API"));
        assertEquals(Optional.empty(), Audience.fromUri("ai.hg.fi/api/"));
        assertEquals(Optional.empty(), Audience.fromUri(" ai.hg.fi/api"));
        assertEquals(Optional.empty(), Audience.fromUri("https://ai.hg.fi/api"));
        assertEquals(Optional.empty(), Audience.fromUri("API"));
    }
}

package fi.hg.bus.domain.usage;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedSelectorTest {

    private static final Instant BEFORE = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void the_first_page_starts_at_offset_zero() {
        assertEquals(0, new FeedSelector(BEFORE, 1, 1000).offset());
    }

    @Test
    void later_pages_skip_the_pages_before_them() {
        assertEquals(1000, new FeedSelector(BEFORE, 2, 1000).offset());
        assertEquals(20, new FeedSelector(BEFORE, 5, 5).offset());
        assertEquals(9, new FeedSelector(BEFORE, 10, 1).offset());
    }

    @Test
    void the_offset_of_a_far_page_is_computed_without_int_overflow() {
        FeedSelector selector = new FeedSelector(BEFORE, 1_000_000_000L, 10_000);

        assertEquals(9_999_999_990_000L, selector.offset());
    }

    @Test
    void a_page_whose_offset_does_not_fit_a_long_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> new FeedSelector(BEFORE, Long.MAX_VALUE, 10_000));
        assertThrows(IllegalArgumentException.class, () -> FeedSelector.capped(BEFORE, Long.MAX_VALUE / 2, 10_000));
    }

    @Test
    void the_largest_page_whose_offset_fits_is_accepted() {
        long page = (Long.MAX_VALUE / 10_000) + 1;

        FeedSelector selector = new FeedSelector(BEFORE, page, 10_000);

        assertTrue(selector.offset() >= 0);
        assertEquals((page - 1) * 10_000, selector.offset());
    }

    @Test
    void page_must_be_at_least_one() {
        assertThrows(IllegalArgumentException.class, () -> new FeedSelector(BEFORE, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new FeedSelector(BEFORE, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> FeedSelector.capped(BEFORE, 0, 10));
    }

    @Test
    void page_size_must_be_at_least_one() {
        assertThrows(IllegalArgumentException.class, () -> new FeedSelector(BEFORE, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new FeedSelector(BEFORE, 1, -5));
        assertThrows(IllegalArgumentException.class, () -> FeedSelector.capped(BEFORE, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> FeedSelector.capped(BEFORE, 1, Long.MIN_VALUE));
    }

    @Test
    void before_is_required() {
        assertThrows(NullPointerException.class, () -> new FeedSelector(null, 1, 10));
    }

    @Test
    void a_page_size_up_to_ten_thousand_is_kept() {
        assertEquals(1, FeedSelector.capped(BEFORE, 1, 1).pageSize());
        assertEquals(1000, FeedSelector.capped(BEFORE, 1, 1000).pageSize());
        assertEquals(10_000, FeedSelector.capped(BEFORE, 1, 10_000).pageSize());
    }

    @Test
    void a_larger_page_size_is_capped_at_ten_thousand() {
        assertEquals(10_000, FeedSelector.capped(BEFORE, 1, 10_001).pageSize());
        assertEquals(10_000, FeedSelector.capped(BEFORE, 1, Integer.MAX_VALUE + 1L).pageSize());
        assertEquals(10_000, FeedSelector.capped(BEFORE, 3, Long.MAX_VALUE).pageSize());
    }

    @Test
    void the_offset_of_a_capped_selector_uses_the_capped_page_size() {
        assertEquals(20_000, FeedSelector.capped(BEFORE, 3, 50_000).offset());
    }

    @Test
    void the_defaults_are_as_the_feed_promises() {
        assertEquals(1000, FeedSelector.DEFAULT_PAGE_SIZE);
        assertEquals(10_000, FeedSelector.MAX_PAGE_SIZE);
    }

    @Test
    void before_is_truncated_to_microseconds_like_the_stored_times() {
        FeedSelector selector = new FeedSelector(Instant.parse("2026-03-01T12:00:00.123456789Z"), 1, 10);

        assertEquals(Instant.parse("2026-03-01T12:00:00.123456Z"), selector.before());
    }

    @Test
    void the_same_query_makes_equal_selectors() {
        assertEquals(new FeedSelector(BEFORE, 2, 50), FeedSelector.capped(BEFORE, 2, 50));
    }
}

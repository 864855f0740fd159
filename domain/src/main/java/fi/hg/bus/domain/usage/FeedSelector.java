package fi.hg.bus.domain.usage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One deterministic page of the collector feed: the records that occurred at or before
 * {@code before}, ordered by occurrence time and then id, cut into pages of {@code pageSize}.
 * A GET and a DELETE with the same selector address the same records.
 */
public record FeedSelector(Instant before, long page, int pageSize) {

    public static final int DEFAULT_PAGE_SIZE = 1000;
    public static final int MAX_PAGE_SIZE = 10_000;

    public FeedSelector {
        Objects.requireNonNull(before, "before");
        if (page < 1) {
            throw new IllegalArgumentException("page must be at least 1");
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("page_size must be at least 1");
        }
        if (page - 1 > Long.MAX_VALUE / pageSize) {
            throw new IllegalArgumentException("page is out of range");
        }
        before = before.truncatedTo(ChronoUnit.MICROS);
    }

    /** A selector whose page size is capped at {@link #MAX_PAGE_SIZE}, as the feed promises. */
    public static FeedSelector capped(Instant before, long page, long requestedPageSize) {
        if (requestedPageSize < 1) {
            throw new IllegalArgumentException("page_size must be at least 1");
        }
        return new FeedSelector(before, page, (int) Math.min(requestedPageSize, MAX_PAGE_SIZE));
    }

    /** How many records come before this page in the selection. */
    public long offset() {
        return (page - 1) * (long) pageSize;
    }
}

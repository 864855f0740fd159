package fi.hg.bus.application.usage;

import fi.hg.bus.domain.usage.FeedPage;
import fi.hg.bus.domain.usage.FeedSelector;

import java.time.Clock;
import java.time.Instant;

/** Reads one page of the collector feed. */
public final class ReadUsageFeed {

    /**
     * A collector's request; a null {@code before} means now, page and page size default to 1 and
     * {@link FeedSelector#DEFAULT_PAGE_SIZE}, and larger page sizes are capped.
     */
    public record Query(Instant before, Long page, Long pageSize) {
    }

    private final UsageLedger ledger;
    private final Clock clock;

    public ReadUsageFeed(UsageLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    public FeedPage read(Query query) {
        return ledger.page(selector(query, clock));
    }

    static FeedSelector selector(Query query, Clock clock) {
        Instant before = query.before() == null ? clock.instant() : query.before();
        long page = query.page() == null ? 1 : query.page();
        long pageSize = query.pageSize() == null ? FeedSelector.DEFAULT_PAGE_SIZE : query.pageSize();
        return FeedSelector.capped(before, page, pageSize);
    }
}

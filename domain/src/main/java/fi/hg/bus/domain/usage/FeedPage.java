package fi.hg.bus.domain.usage;

import java.util.List;

/** One page of the collector feed and whether more records follow it in the same selection. */
public record FeedPage(FeedSelector selector, List<StoredUsageEvent> items, boolean hasMore) {
    public FeedPage {
        items = List.copyOf(items);
    }
}

package fi.hg.bus.application.keys;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An account's keys, newest first, revoked ones too, without their secrets. */
public final class ListKeys {

    /** The most keys one answer lists. */
    public static final int LIMIT = 1000;

    /** @param hasMore whether older keys were left out */
    public record Page(List<KeyView> keys, boolean hasMore) {
        public Page {
            keys = List.copyOf(keys);
        }
    }

    private final ApiKeys keys;
    private final String keyMeter;
    private final Clock clock;

    public ListKeys(ApiKeys keys, String keyMeter, Clock clock) {
        this.keys = keys;
        this.keyMeter = keyMeter;
        this.clock = clock;
    }

    public Page list(UUID accountId) {
        Instant now = clock.instant();
        List<ApiKeys.Listed> found = keys.list(accountId, keyMeter, LIMIT + 1);
        List<KeyView> views = found.stream().limit(LIMIT)
                .map(l -> new KeyView(l.key(), l.used(), l.key().status(now, l.used()), keyMeter)).toList();
        return new Page(views, found.size() > LIMIT);
    }
}

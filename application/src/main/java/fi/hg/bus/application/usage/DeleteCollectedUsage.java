package fi.hg.bus.application.usage;

import java.time.Clock;

/** Deletes the page of the collector feed that the same query reads, once a collector has kept it. */
public final class DeleteCollectedUsage {

    private final UsageLedger ledger;
    private final Clock clock;

    public DeleteCollectedUsage(UsageLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    public int delete(ReadUsageFeed.Query query) {
        return ledger.deletePage(ReadUsageFeed.selector(query, clock));
    }
}

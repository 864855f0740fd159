package fi.hg.bus.application.export;

import fi.hg.bus.domain.export.ExportState;
import fi.hg.bus.domain.export.UsageExport;

import java.util.List;
import java.util.Map;

/** The export queue as operators and account holders see it: counts per state and the newest exports. */
public final class ListUsageExports {

    public record Listing(Map<ExportState, Long> counts, List<UsageExport> exports) {
        public Listing {
            counts = Map.copyOf(counts);
            exports = List.copyOf(exports);
        }
    }

    private final UsageExports exports;

    public ListUsageExports(UsageExports exports) {
        this.exports = exports;
    }

    public Listing list(UsageExports.Selection selection) {
        return new Listing(exports.counts(selection.accountId()), exports.list(selection));
    }
}

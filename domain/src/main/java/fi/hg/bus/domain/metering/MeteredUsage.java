package fi.hg.bus.domain.metering;

/** Billable quantity of one meter of one feature, turned out of a usage record by the export policy. */
public record MeteredUsage(String feature, String meter, long quantity) {
    public MeteredUsage {
        if (quantity < 1) {
            throw new IllegalArgumentException("a metered quantity is positive");
        }
    }
}

package fi.hg.bus.domain.metering;

import fi.hg.bus.domain.usage.UsageData;
import fi.hg.bus.domain.usage.UsageEventType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns records of one event type into quantity of one meter. The quantity is read from the first
 * of {@code sources} that the record's data has; a source is one field, or the sum of several
 * fields that must all be present. Quantities are divided by {@code divisor} and rounded up to a
 * whole unit; zero and negative quantities bill nothing.
 */
public record ExportRule(UsageEventType eventType, String feature, String meter, List<List<String>> sources, long divisor) {

    public ExportRule {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(meter, "meter");
        sources = sources.stream().map(List::copyOf).toList();
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("an export rule reads at least one quantity field");
        }
        if (divisor < 1) {
            throw new IllegalArgumentException("the divisor is positive");
        }
    }

    /** A rule that reads one field as it is. */
    public static ExportRule ofField(UsageEventType eventType, String feature, String meter, String field) {
        return new ExportRule(eventType, feature, meter, List.of(List.of(field)), 1);
    }

    public Optional<MeteredUsage> apply(UsageData data) {
        if (data == null) {
            return Optional.empty();
        }
        for (List<String> fields : sources) {
            BigDecimal sum = BigDecimal.ZERO;
            boolean complete = true;
            for (String field : fields) {
                Optional<BigDecimal> v = data.number(field);
                if (v.isEmpty()) {
                    complete = false;
                    break;
                }
                sum = sum.add(v.get());
            }
            if (complete) {
                BigDecimal units = sum.divide(BigDecimal.valueOf(divisor), 0, RoundingMode.CEILING);
                if (units.signum() <= 0 || units.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 4)) > 0) {
                    return Optional.empty();
                }
                return Optional.of(new MeteredUsage(feature, meter, units.longValueExact()));
            }
        }
        return Optional.empty();
    }
}

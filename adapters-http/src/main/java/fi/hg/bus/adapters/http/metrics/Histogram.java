package fi.hg.bus.adapters.http.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram with fixed buckets, by label values. An observation increments one bucket's
 * {@link LongAdder} and adds to the sum; the cumulative counts are made when scraped.
 */
public final class Histogram implements MetricRegistry.Family {

    private final String name;
    private final String help;
    private final double[] bounds;
    private final String[] les;
    private final String[] labelNames;
    private final ConcurrentHashMap<LabelValues, Child> children = new ConcurrentHashMap<>();

    Histogram(String name, String help, double[] bounds, String[] labelNames) {
        if (bounds.length == 0) {
            throw new IllegalArgumentException("a histogram needs buckets");
        }
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must increase");
            }
        }
        if (Double.isInfinite(bounds[bounds.length - 1]) || Double.isNaN(bounds[0])) {
            throw new IllegalArgumentException("the +Inf bucket is implicit");
        }
        this.name = name;
        this.help = help;
        this.bounds = bounds.clone();
        this.les = new String[bounds.length + 1];
        for (int i = 0; i < bounds.length; i++) {
            les[i] = Double.toString(bounds[i]);
        }
        les[bounds.length] = "+Inf";
        this.labelNames = labelNames;
    }

    /** The observations of these label values. */
    public Child labels(String... values) {
        return LabelValues.child(children, LabelValues.of(labelNames, values), k -> new Child(bounds));
    }

    /** One label set's observations. */
    public static final class Child {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final DoubleAdder sum = new DoubleAdder();

        Child(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length + 1];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        public void observe(double value) {
            int i = 0;
            while (i < bounds.length && value > bounds[i]) {
                i++;
            }
            counts[i].increment();
            sum.add(value);
        }

        long[] snapshot() {
            long[] cumulative = new long[counts.length];
            long running = 0;
            for (int i = 0; i < counts.length; i++) {
                running += counts[i].sum();
                cumulative[i] = running;
            }
            return cumulative;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void write(Exposition out) {
        out.family(name, "histogram", help);
        for (Map.Entry<LabelValues, Child> entry : LabelValues.sorted(children)) {
            long[] cumulative = entry.getValue().snapshot();
            for (int i = 0; i < cumulative.length; i++) {
                out.sample(name + "_bucket", cumulative[i], entry.getKey().pairs(labelNames, "le", les[i]));
            }
            // the count is the +Inf bucket, so that the two always agree within one scrape
            out.sample(name + "_sum", entry.getValue().sum.sum(), entry.getKey().pairs(labelNames));
            out.sample(name + "_count", cumulative[cumulative.length - 1], entry.getKey().pairs(labelNames));
        }
    }
}

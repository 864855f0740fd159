package fi.hg.bus.adapters.http.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A monotonic counter, by label values. Counting is a {@link LongAdder} increment: no lock. */
public final class Counter implements MetricRegistry.Family {

    private final String name;
    private final String help;
    private final String[] labelNames;
    private final ConcurrentHashMap<LabelValues, LongAdder> children = new ConcurrentHashMap<>();

    Counter(String name, String help, String[] labelNames) {
        this.name = name;
        this.help = help;
        this.labelNames = labelNames;
    }

    /**
     * The count of these label values (in the order of the label names). Keep the result when
     * the values are known in advance: the look-up is then paid once.
     */
    public LongAdder labels(String... values) {
        return LabelValues.child(children, LabelValues.of(labelNames, values), k -> new LongAdder());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void write(Exposition out) {
        out.family(name, "counter", help);
        for (Map.Entry<LabelValues, LongAdder> child : LabelValues.sorted(children)) {
            out.sample(name, child.getValue().sum(), child.getKey().pairs(labelNames));
        }
    }
}

package fi.hg.bus.adapters.http.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A small lock-free metric registry that writes the Prometheus text exposition format (version
 * 0.0.4). Counters and histograms count with {@link java.util.concurrent.atomic.LongAdder}s, so
 * recording never takes a lock; gauges that cost something to read (the database's) are
 * {@link Collector}s, read only when the registry is scraped.
 */
public final class MetricRegistry {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** The content type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final List<Family> families = new CopyOnWriteArrayList<>();
    private final List<Collector> collectors = new CopyOnWriteArrayList<>();

    /** What the registry writes: a family of samples. */
    interface Family {
        String name();

        void write(Exposition out);
    }

    /** Writes samples read at scrape time (gauges of the database, of the connection pool). */
    @FunctionalInterface
    public interface Collector {
        void collect(Exposition out);
    }

    public Counter counter(String name, String help, String... labelNames) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends with _total: " + name);
        }
        return add(new Counter(checkName(name), help, checkLabels(labelNames)));
    }

    public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
        for (String label : labelNames) {
            if (label.equals("le")) {
                throw new IllegalArgumentException("le is the histogram's own label");
            }
        }
        return add(new Histogram(checkName(name), help, buckets, checkLabels(labelNames)));
    }

    /** A gauge kept in memory (e.g. requests in flight). */
    public Gauge gauge(String name, String help) {
        return add(new Gauge(checkName(name), help));
    }

    public void collector(Collector collector) {
        collectors.add(collector);
    }

    private <F extends Family> F add(F family) {
        for (Family f : families) {
            if (f.name().equals(family.name())) {
                throw new IllegalArgumentException("metric " + family.name() + " is registered twice");
            }
        }
        families.add(family);
        return family;
    }

    /** Every metric in the text exposition format. A collector that fails leaves out its own samples only. */
    public String scrape() {
        Exposition out = new Exposition();
        for (Family family : families) {
            family.write(out);
        }
        for (Collector collector : collectors) {
            collector.collect(out);
        }
        return out.text();
    }

    static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        return name;
    }

    static String[] checkLabels(String[] labelNames) {
        List<String> seen = new ArrayList<>();
        for (String label : labelNames) {
            if (!LABEL.matcher(label).matches() || label.startsWith("__") || seen.contains(label)) {
                throw new IllegalArgumentException("not a label name: " + label);
            }
            seen.add(label);
        }
        return labelNames.clone();
    }
}

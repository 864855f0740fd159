package fi.hg.bus.adapters.http.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A gauge kept in memory without labels, moved up and down without a lock. */
public final class Gauge implements MetricRegistry.Family {

    private final String name;
    private final String help;
    private final LongAdder value = new LongAdder();

    Gauge(String name, String help) {
        this.name = name;
        this.help = help;
    }

    public void increment() {
        value.increment();
    }

    public void decrement() {
        value.decrement();
    }

    public long value() {
        return value.sum();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void write(Exposition out) {
        out.gauge(name, help, value.sum());
    }
}

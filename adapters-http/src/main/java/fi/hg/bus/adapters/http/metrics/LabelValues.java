package fi.hg.bus.adapters.http.metrics;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The values of one labelled child, a map key. */
final class LabelValues implements Comparable<LabelValues> {

    /**
     * At most this many children per family: past it every new label set is counted under the
     * values {@code "other"}, so that no input can grow the registry without bound.
     */
    static final int MAX_CHILDREN = 1000;

    final String[] values;
    private final int hash;

    LabelValues(String[] values) {
        this.values = values;
        this.hash = Arrays.hashCode(values);
    }

    static LabelValues of(String[] names, String[] values) {
        if (values.length != names.length) {
            throw new IllegalArgumentException("expected " + names.length + " label values, got " + values.length);
        }
        for (String v : values) {
            if (v == null) {
                throw new IllegalArgumentException("a label value is null");
            }
        }
        return new LabelValues(values);
    }

    /** The child of {@code key}, made on first use; past {@link #MAX_CHILDREN} the shared overflow child. */
    static <C> C child(ConcurrentHashMap<LabelValues, C> children, LabelValues key, Function<LabelValues, C> make) {
        C child = children.get(key);
        if (child != null) {
            return child;
        }
        if (children.size() >= MAX_CHILDREN) {
            String[] other = new String[key.values.length];
            Arrays.fill(other, "other");
            key = new LabelValues(other);
        }
        return children.computeIfAbsent(key, make);
    }

    /** name, value, name, value… with {@code extra} pairs after. */
    String[] pairs(String[] names, String... extra) {
        String[] pairs = new String[names.length * 2 + extra.length];
        for (int i = 0; i < names.length; i++) {
            pairs[2 * i] = names[i];
            pairs[2 * i + 1] = values[i];
        }
        System.arraycopy(extra, 0, pairs, names.length * 2, extra.length);
        return pairs;
    }

    static <C> Iterable<Map.Entry<LabelValues, C>> sorted(ConcurrentHashMap<LabelValues, C> children) {
        return children.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelValues other && other.hash == hash && Arrays.equals(other.values, values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(LabelValues o) {
        return Arrays.compare(values, o.values);
    }
}

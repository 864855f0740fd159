package fi.hg.bus.adapters.http.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricRegistryTest {

    @Test
    void a_counter_is_written_with_help_type_and_sorted_labelled_samples() {
        MetricRegistry registry = new MetricRegistry();
        Counter c = registry.counter("x_total", "Things.\nSecond line \\ done.", "kind");
        c.labels("b").add(2);
        c.labels("a").increment();
        assertEquals("""
                # HELP x_total Things.\\nSecond line \\\\ done.
                # TYPE x_total counter
                x_total{kind="a"} 1
                x_total{kind="b"} 2
                """, registry.scrape());
    }

    @Test
    void label_values_are_escaped() {
        MetricRegistry registry = new MetricRegistry();
        registry.counter("y_total", "Y.", "v").labels("a\"b\\c\nd").increment();
        assertTrue(registry.scrape().contains("y_total{v=\"a\\\"b\\\\c\\nd\"} 1\n"), registry.scrape());
    }

    @Test
    void a_histogram_writes_cumulative_buckets_sum_and_count() {
        MetricRegistry registry = new MetricRegistry();
        Histogram h = registry.histogram("d_seconds", "D.", new double[]{0.1, 1}, "route");
        h.labels("/a").observe(0.05);
        h.labels("/a").observe(0.1);
        h.labels("/a").observe(0.5);
        h.labels("/a").observe(7);
        assertEquals("""
                # HELP d_seconds D.
                # TYPE d_seconds histogram
                d_seconds_bucket{route="/a",le="0.1"} 2
                d_seconds_bucket{route="/a",le="1.0"} 3
                d_seconds_bucket{route="/a",le="+Inf"} 4
                d_seconds_sum{route="/a"} 7.65
                d_seconds_count{route="/a"} 4
                """, registry.scrape());
    }

    @Test
    void collectors_write_after_the_registered_families() {
        MetricRegistry registry = new MetricRegistry();
        registry.gauge("g", "G.").increment();
        registry.collector(out -> out.gauge("read_at_scrape", "R.", 1.5));
        assertEquals("""
                # HELP g G.
                # TYPE g gauge
                g 1
                # HELP read_at_scrape R.
                # TYPE read_at_scrape gauge
                read_at_scrape 1.5
                """, registry.scrape());
    }

    @Test
    void bad_names_labels_and_values_are_refused() {
        MetricRegistry registry = new MetricRegistry();
        assertThrows(IllegalArgumentException.class, () -> registry.counter("no_suffix", "x"));
        assertThrows(IllegalArgumentException.class, () -> registry.counter("bad-name_total", "x"));
        assertThrows(IllegalArgumentException.class, () -> registry.counter("ok_total", "x", "bad-label"));
        assertThrows(IllegalArgumentException.class, () -> registry.counter("ok2_total", "x", "__reserved"));
        assertThrows(IllegalArgumentException.class, () -> registry.histogram("h", "x", new double[]{1}, "le"));
        assertThrows(IllegalArgumentException.class, () -> registry.histogram("h2", "x", new double[]{2, 1}));
        Counter c = registry.counter("c_total", "x", "a", "b");
        assertThrows(IllegalArgumentException.class, () -> c.labels("only-one"));
        assertThrows(IllegalArgumentException.class, () -> c.labels("a", null));
        registry.counter("twice_total", "x");
        assertThrows(IllegalArgumentException.class, () -> registry.counter("twice_total", "x"));
    }

    @Test
    void past_the_child_limit_new_label_values_are_counted_as_other() {
        MetricRegistry registry = new MetricRegistry();
        Counter c = registry.counter("many_total", "x", "v");
        for (int i = 0; i < LabelValues.MAX_CHILDREN + 50; i++) {
            c.labels("v" + i).increment();
        }
        String text = registry.scrape();
        assertEquals(LabelValues.MAX_CHILDREN + 1, text.lines().filter(l -> l.startsWith("many_total{")).count());
        assertTrue(text.contains("many_total{v=\"other\"} 50\n"), text);
    }

    @Test
    void counting_from_many_threads_loses_nothing() throws Exception {
        ServerMetrics metrics = new ServerMetrics();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        metrics.requestStarted();
                        metrics.requestFinished("GET", "/healthz", 200, 1_000_000);
                        metrics.entitlementDecided("billing_active");
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        String text = metrics.scrape();
        assertTrue(text.contains("bus_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 40000\n"), text);
        assertTrue(text.contains("bus_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"0.001\"} 40000\n"), text);
        assertTrue(text.contains("bus_entitlement_decisions_total{allowed=\"true\",reason=\"billing_active\"} 40000\n"), text);
        assertTrue(text.contains("bus_http_requests_in_flight 0\n"), text);
    }

    @Test
    void methods_outside_the_standard_ones_are_other_and_reasons_are_checked() {
        assertEquals("GET", ServerMetrics.method("get"));
        assertEquals("OTHER", ServerMetrics.method("BREW"));
        assertEquals("OTHER", ServerMetrics.method(null));
        assertThrows(IllegalArgumentException.class, () -> new ServerMetrics().entitlementDecided("made_up"));
    }
}

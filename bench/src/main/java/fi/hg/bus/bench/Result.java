package fi.hg.bus.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The measured runs of one scenario, and what they are compared with. */
final class Result {

    /**
     * A goal: at least (or less than) {@code value} {@code unit}, judged on the median, and when
     * {@code p99Below} is set, a median p99 latency under that many milliseconds too.
     */
    record Target(double value, boolean atLeast, Double p99Below, String text) {
        Target(double value, boolean atLeast, String text) {
            this(value, atLeast, null, text);
        }

        boolean metBy(double v, double p99) {
            return (atLeast ? v >= value : v < value) && (p99Below == null || p99 < p99Below);
        }
    }

    final String name;
    final String clients;
    final String work;
    final String unit;
    final Target target;
    final List<Double> values = new ArrayList<>();
    final List<Double> p50 = new ArrayList<>();
    final List<Double> p99 = new ArrayList<>();
    final List<CpuMeter.Usage> cpu = new ArrayList<>();
    /** CPU microseconds per event (or request) of the server and of its PostgreSQL backends, per run. */
    final List<Double> serverMicros = new ArrayList<>();
    final List<Double> postgresMicros = new ArrayList<>();
    final String perUnit;
    final List<String> remarks = new ArrayList<>();
    /** What this scenario is compared with, measured in the same run. */
    final List<Comparison> comparisons = new ArrayList<>();
    /** Whether this row is a baseline (pgbench, Bucket4j, java -version) rather than Bus itself. */
    boolean baseline;
    int failures;

    /** A baseline this scenario's median is divided by, and how the ratio reads ("pgbench insert rate"). */
    record Comparison(Result baseline, String label) {
    }

    Result(String name, String clients, String work, String unit, String perUnit, Target target) {
        this.name = name;
        this.perUnit = perUnit;
        this.clients = clients;
        this.work = work;
        this.unit = unit;
        this.target = target;
    }

    /** One measured run; {@code unitsPerSecond} is the rate of events (or requests) it reached. */
    void add(double value, double unitsPerSecond, double p50Millis, double p99Millis, CpuMeter.Usage usage) {
        values.add(value);
        if (usage != null) {
            serverMicros.add(usage.serverCores() / unitsPerSecond * 1e6);
            postgresMicros.add(usage.postgresCores() / unitsPerSecond * 1e6);
            cpu.add(usage);
        }
        p50.add(p50Millis);
        p99.add(p99Millis);
    }

    Result compareWith(Result other, String label) {
        if (other != null) {
            comparisons.add(new Comparison(other, label));
        }
        return this;
    }

    /** "0.62x pgbench insert rate; 2.10x Bucket4j", or "–". */
    String versus() {
        if (comparisons.isEmpty()) {
            return baseline ? "baseline" : "–";
        }
        List<String> parts = new ArrayList<>();
        for (Comparison c : comparisons) {
            if (c.baseline().values.isEmpty() || values.isEmpty()) {
                continue;
            }
            double ratio = median() / c.baseline().median();
            parts.add(String.format(Locale.ROOT, "%.2fx %s", ratio, c.label()));
        }
        return parts.isEmpty() ? "–" : String.join("; ", parts);
    }

    /** How far the median is from the target: "+203%", "90% under", or for a p99 limit "p99 24.9 ms, +149%". */
    String margin() {
        if (target == null || values.isEmpty()) {
            return "";
        }
        double m = median();
        List<String> parts = new ArrayList<>();
        if (target.atLeast()) {
            double d = (m / target.value() - 1) * 100;
            if (!(target.p99Below() != null && d >= 0)) {
                parts.add(String.format(Locale.ROOT, "%s%.0f%% %s", d >= 0 ? "+" : "−", Math.abs(d), "vs target"));
            }
        } else {
            double d = (m / target.value() - 1) * 100;
            parts.add(String.format(Locale.ROOT, "%.0f%% %s", Math.abs(d), d < 0 ? "under" : "over"));
        }
        if (target.p99Below() != null) {
            double p = median(p99);
            double d = (p / target.p99Below() - 1) * 100;
            parts.add(d >= 100
                    ? String.format(Locale.ROOT, "p99 %s ms, %.1fx the %s ms", num(p), p / target.p99Below(),
                    num(target.p99Below()))
                    : String.format(Locale.ROOT, "p99 %s ms, %.0f%% %s %s ms", num(p), Math.abs(d),
                    d < 0 ? "under" : "over", num(target.p99Below())));
        }
        return String.join("; ", parts);
    }

    double median() {
        return median(values);
    }

    double min() {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    boolean met() {
        return target != null && failures == 0 && !values.isEmpty() && target.metBy(median(), median(p99));
    }

    String verdict() {
        if (values.isEmpty()) {
            return "not run";
        }
        if (target == null) {
            return failures > 0 ? "– (" + failures + " failed requests)" : "–";
        }
        if (failures > 0) {
            return "no (" + failures + " failed requests)";
        }
        String margin = margin();
        return (met() ? "yes" : "no") + (margin.isEmpty() ? "" : " (" + margin + ")");
    }

    double medianServerCores() {
        return median(cpu.stream().map(CpuMeter.Usage::serverCores).toList());
    }

    double medianPostgresCores() {
        return median(cpu.stream().map(CpuMeter.Usage::postgresCores).toList());
    }

    double medianClientCores() {
        return median(cpu.stream().map(CpuMeter.Usage::clientCores).toList());
    }

    double medianMachineCores() {
        return median(cpu.stream().map(CpuMeter.Usage::machineCores).toList());
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** A count, with thousands separators. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    String valuesText() {
        return String.join(", ", values.stream().map(Result::num).toList());
    }
}

package fi.hg.bus.app.observe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), as a scraper reads it: every
 * line is a {@code # HELP}, a {@code # TYPE} or a sample of a family whose type was declared
 * before it; label values are unescaped; histograms must have increasing cumulative buckets that
 * end in {@code +Inf} and agree with their {@code _count}. Anything else fails the test.
 */
final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a newline");
        }
        PrometheusText p = new PrometheusText();
        Set<String> helped = new java.util.HashSet<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                if (!helped.add(m.group(1))) {
                    throw new AssertionError("HELP twice for " + m.group(1));
                }
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (p.types.put(m.group(1), m.group(2)) != null) {
                    throw new AssertionError("TYPE twice for " + m.group(1));
                }
            } else if (line.startsWith("#")) {
                throw new AssertionError("unexpected comment: " + line);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                String family = p.familyOf(name);
                if (family == null) {
                    throw new AssertionError("a sample before its TYPE: " + line);
                }
                Map<String, String> labels = labels(m.group(3) == null ? "" : m.group(3), line);
                p.samples.add(new Sample(name, labels, value(m.group(4), line)));
            } else {
                throw new AssertionError("not a line of the text format: " + line);
            }
        }
        p.checkHistograms();
        return p;
    }

    private String familyOf(String sample) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if ("histogram".equals(types.get(base))) {
                    return base;
                }
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new AssertionError("bad labels in: " + line);
            }
            String value = unescape(m.group(2));
            if (labels.put(m.group(1), value) != null) {
                throw new AssertionError("a label twice in: " + line);
            }
            at = m.end();
        }
        return labels;
    }

    private static String unescape(String escaped) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\') {
                char next = escaped.charAt(++i);
                b.append(next == 'n' ? '\n' : next);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static double value(String text, String line) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new AssertionError("not a number in: " + line);
                }
            }
        };
    }

    private void checkHistograms() {
        for (Map.Entry<String, String> type : types.entrySet()) {
            if (!type.getValue().equals("histogram")) {
                continue;
            }
            String name = type.getKey();
            Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
            for (Sample s : samples) {
                if (s.name().equals(name + "_bucket")) {
                    Map<String, String> series = new HashMap<>(s.labels());
                    if (series.remove("le") == null) {
                        throw new AssertionError("a bucket without le: " + s);
                    }
                    buckets.computeIfAbsent(series, k -> new ArrayList<>()).add(s);
                }
            }
            buckets.forEach((series, list) -> {
                double last = -1;
                double previousLe = Double.NEGATIVE_INFINITY;
                for (Sample b : list) {
                    double le = value(b.labels().get("le"), b.toString());
                    if (!(le > previousLe) || b.value() < last) {
                        throw new AssertionError("buckets of " + name + series + " do not increase");
                    }
                    previousLe = le;
                    last = b.value();
                }
                if (previousLe != Double.POSITIVE_INFINITY) {
                    throw new AssertionError("the last bucket of " + name + series + " is not +Inf");
                }
                double count = value(name + "_count", series).orElseThrow(() -> new AssertionError("no _count for " + series));
                value(name + "_sum", series).orElseThrow(() -> new AssertionError("no _sum for " + series));
                if (count != last) {
                    throw new AssertionError("_count of " + name + series + " is not the +Inf bucket");
                }
            });
        }
    }

    /** The value of the one sample with exactly these labels. */
    Optional<Double> value(String name, Map<String, String> labels) {
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).toList();
        if (found.size() > 1) {
            throw new AssertionError("two samples " + name + labels);
        }
        return found.stream().findFirst().map(Sample::value);
    }

    double value(String name, String... labelPairs) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return value(name, labels).orElseThrow(() -> new AssertionError("no sample " + name + labels + " in " + samples));
    }

    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }
}

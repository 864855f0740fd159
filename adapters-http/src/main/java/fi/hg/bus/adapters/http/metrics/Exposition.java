package fi.hg.bus.adapters.http.metrics;

/**
 * The text exposition format being written: {@code # HELP} and {@code # TYPE} lines, then one
 * line per sample, label values escaped as the format asks ({@code \\}, {@code \"}, {@code \n}).
 */
public final class Exposition {

    private final StringBuilder text = new StringBuilder(4096);

    Exposition() {
    }

    /** Starts a family: {@code type} is {@code counter}, {@code gauge} or {@code histogram}. */
    public Exposition family(String name, String type, String help) {
        MetricRegistry.checkName(name);
        text.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                default -> text.append(c);
            }
        }
        text.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} are name, value, name, value… */
    public Exposition sample(String name, double value, String... labels) {
        text.append(name);
        if (labels.length > 0) {
            if (labels.length % 2 != 0) {
                throw new IllegalArgumentException("labels come in name, value pairs");
            }
            text.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    text.append(',');
                }
                label(labels[i], labels[i + 1]);
            }
            text.append('}');
        }
        text.append(' ').append(number(value)).append('\n');
        return this;
    }

    /** A one-sample gauge family. */
    public Exposition gauge(String name, String help, double value) {
        return family(name, "gauge", help).sample(name, value);
    }

    void label(String name, String value) {
        text.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '"' -> text.append("\\\"");
                case '\n' -> text.append("\\n");
                default -> text.append(c);
            }
        }
        text.append('"');
    }

    StringBuilder raw() {
        return text;
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    String text() {
        return text.toString();
    }
}

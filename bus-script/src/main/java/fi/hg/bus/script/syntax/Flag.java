package fi.hg.bus.script.syntax;

/** One global flag of a flags line: {@code --quiet}, {@code --format F}, {@code --output F}, {@code --trace} or a {@code --no-…} form. */
public sealed interface Flag {

    /** {@code --quiet} (on) or {@code --no-quiet} (off). */
    record Quiet(boolean on) implements Flag {
    }

    /** {@code --trace} (on) or {@code --no-trace} (off). */
    record Trace(boolean on) implements Flag {
    }

    /** {@code --format text|json}; {@code value} null for {@code --no-format}. */
    record Format(String value) implements Flag {
    }

    /** {@code --output FILE}; {@code file} null for {@code --no-output}. */
    record Output(String file) implements Flag {
    }
}

package fi.hg.bus.script.syntax;

import java.util.List;

/**
 * The global flags in force at a line: set by flags lines, applied to the commands after them.
 * {@code format} and {@code output} are null when not set.
 */
public record Flags(boolean quiet, String format, String output, boolean trace) {

    public static final Flags NONE = new Flags(false, null, null, false);

    public Flags with(Flag flag) {
        return switch (flag) {
            case Flag.Quiet q -> new Flags(q.on(), format, output, trace);
            case Flag.Trace t -> new Flags(quiet, format, output, t.on());
            case Flag.Format f -> new Flags(quiet, f.value(), output, trace);
            case Flag.Output o -> new Flags(quiet, format, o.file(), trace);
        };
    }

    public Flags with(List<Flag> flags) {
        Flags result = this;
        for (Flag f : flags) {
            result = result.with(f);
        }
        return result;
    }
}

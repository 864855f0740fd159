package fi.hg.bus.script.run;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Arguments written back as a {@code .bus} line would hold them, safe to print on a terminal. */
final class Quoting {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./\\-]+");

    private Quoting() {
    }

    static String join(List<String> args) {
        return args.stream().map(Quoting::quote).collect(Collectors.joining(" "));
    }

    /** {@code arg} as a word of a line: plain, or in single quotes ({@code '} written as {@code '\''}). */
    static String quote(String arg) {
        if (PLAIN.matcher(arg).matches()) {
            return arg;
        }
        return printable("'" + arg.replace("'", "'\\''") + "'");
    }

    /** Control characters (which a value from the environment may hold) become {@code ?}. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }
}

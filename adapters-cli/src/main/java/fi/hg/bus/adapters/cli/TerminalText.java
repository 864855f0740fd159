package fi.hg.bus.adapters.cli;

/** Text that came over the network, made safe to print on a terminal. */
public final class TerminalText {

    private TerminalText() {
    }

    /** Control characters (escape sequences, carriage returns, newlines) become spaces. */
    public static String safe(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return b.toString();
    }
}

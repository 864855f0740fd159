package fi.hg.bus.adapters.http.pages;

/**
 * Builds HTML text where every value is escaped: {@link #text} for content and attribute values
 * (always written in double quotes), {@link #raw} only for markup written in this package.
 */
final class Html {

    private final StringBuilder out = new StringBuilder(4096);

    /** Escapes {@code & < > " '} and drops control characters other than tab, line feed and return. */
    static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(value.length() + 16);
        value.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                        b.append('\uFFFD');
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }

    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    Html text(String value) {
        out.append(escape(value));
        return this;
    }

    /** {@code <tag class="cls">value</tag>} with the value escaped. */
    Html element(String tag, String cls, String value) {
        out.append('<').append(tag);
        if (cls != null) {
            out.append(" class=\"").append(cls).append('"');
        }
        out.append('>').append(escape(value)).append("</").append(tag).append('>');
        return this;
    }

    /** {@code name="value"} with a leading space, the value escaped. */
    Html attr(String name, String value) {
        out.append(' ').append(name).append("=\"").append(escape(value)).append('"');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}

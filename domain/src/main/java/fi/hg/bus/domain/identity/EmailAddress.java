package fi.hg.bus.domain.identity;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An email address as an identity is known by: trimmed and lower-cased, plain ASCII, at most 254
 * characters, a local part of at most 64 characters and a domain of dot-separated labels with at
 * least one dot. Addresses with quoted local parts, IP-literal domains or non-ASCII characters are
 * refused: they are rare, and every character here is safe in an SMTP command and a mail header.
 */
public record EmailAddress(String value) {

    private static final Pattern LOCAL = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public EmailAddress {
        Objects.requireNonNull(value, "value");
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Reads an address as a person typed it.
     *
     * @throws IllegalArgumentException saying what is wrong (without repeating the text)
     */
    public static EmailAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an email address is required");
        }
        return new EmailAddress(text.strip().toLowerCase(Locale.ROOT));
    }

    private static String problem(String s) {
        if (s.isEmpty()) {
            return "an email address is required";
        }
        if (s.length() > 254) {
            return "an email address has at most 254 characters";
        }
        int at = s.indexOf('@');
        if (at < 0 || at != s.lastIndexOf('@')) {
            return "an email address has exactly one @";
        }
        String local = s.substring(0, at);
        String domain = s.substring(at + 1);
        if (local.isEmpty() || local.length() > 64 || !LOCAL.matcher(local).matches()) {
            return "the part before @ must be 1 to 64 letters, digits or !#$%&'*+/=?^_`{|}~.- (no leading, trailing or double dot)";
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return "the domain after @ needs at least one dot, e.g. example.com";
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return "the domain after @ must be dot-separated labels of letters, digits and inner hyphens";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return value;
    }
}

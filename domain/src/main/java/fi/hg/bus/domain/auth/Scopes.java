package fi.hg.bus.domain.auth;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** A set of scopes, written on the wire as one space-separated string. */
public record Scopes(Set<String> values) {

    private static final Pattern SEPARATOR = Pattern.compile(" +");
    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9_.:*\\-/]{1,100}");

    public Scopes {
        for (String scope : values) {
            if (!SCOPE.matcher(scope).matches()) {
                throw new IllegalArgumentException("invalid scope: " + printable(scope));
            }
        }
        values = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    public static Scopes parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return new Scopes(Set.of());
        }
        return new Scopes(new LinkedHashSet<>(Arrays.asList(SEPARATOR.split(trimmed))));
    }

    public static Scopes of(String... scopes) {
        return new Scopes(new LinkedHashSet<>(Arrays.asList(scopes)));
    }

    public boolean contains(String scope) {
        return values.contains(scope);
    }

    public boolean containsAll(Collection<String> scopes) {
        return values.containsAll(scopes);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The space-separated wire form. */
    public String text() {
        return String.join(" ", values);
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return cut.codePoints().allMatch(c -> c >= 0x20 && c < 0x7f) ? cut : "(non-printable)";
    }
}

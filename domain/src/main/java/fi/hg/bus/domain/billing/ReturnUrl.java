package fi.hg.bus.domain.billing;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a hosted setup or portal page sends the user back to: an absolute {@code http} or
 * {@code https} URL with a host and no user information, at most 2,048 characters.
 */
public record ReturnUrl(URI uri) {

    public static final int MAX_LENGTH = 2048;

    public ReturnUrl {
        Objects.requireNonNull(uri, "uri");
    }

    /** The URL, or the reason it cannot be used. */
    public static Optional<String> problem(String text) {
        try {
            parse(text);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Parses a return URL; {@link IllegalArgumentException} says what is wrong. */
    public static ReturnUrl parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("must be an http or https URL");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
        }
        if (text.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c > 0x7e)) {
            throw new IllegalArgumentException("must be a URL without spaces, control or non-ASCII characters "
                    + "(percent-encode them)");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("must be an http or https URL");
        }
        if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("must be an absolute http or https URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not carry a user name or password");
        }
        return new ReturnUrl(uri);
    }

    /** The scheme, host and port, e.g. {@code https://example.com:8443}. */
    public String origin() {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}

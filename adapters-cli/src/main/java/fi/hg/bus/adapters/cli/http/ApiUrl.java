package fi.hg.bus.adapters.cli.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the Bus server is: its origin plus any prefix a reverse proxy puts in front of it, without
 * a trailing slash, e.g. {@code https://bus.example.com} or {@code https://example.com/bus}.
 * People may paste a module base instead ({@code …/api/v1/billing}, {@code …/api/internal/billing},
 * {@code …/api/v1}); that known trailing part is taken off, so every command can add its own path.
 */
public record ApiUrl(String base) {

    public static final String DEFAULT = "http://127.0.0.1:8080";

    /** {@code /api}, {@code /api/v1}, {@code /api/internal}, optionally followed by one module segment. */
    private static final Pattern MODULE_BASE = Pattern.compile("(.*?)/api(?:/(?:v1|internal)(?:/[A-Za-z0-9._~-]+)?)?");

    public ApiUrl {
        Objects.requireNonNull(base, "base");
    }

    /**
     * Reads a URL as given by {@code --api-url} or {@code BUS_API_URL}.
     *
     * @throws IllegalArgumentException saying what is wrong, without repeating the text (it may hold a password)
     */
    public static ApiUrl parse(String text) {
        String value = text == null ? "" : text.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("is empty; give the server's URL, e.g. " + DEFAULT);
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL; give the server's URL, e.g. " + DEFAULT);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("must be an http:// or https:// URL, e.g. " + DEFAULT);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("names no host; give the server's URL, e.g. " + DEFAULT);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not carry a user name or password; tokens come from files or the environment");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must not have a query (?…) or fragment (#…); give the server's URL, e.g. " + DEFAULT);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        Matcher m = MODULE_BASE.matcher(path);
        if (m.matches()) {
            path = m.group(1);
        }
        String host = uri.getRawAuthority();
        return new ApiUrl(scheme + "://" + host.toLowerCase(Locale.ROOT) + path);
    }

    /** The full URL of {@code path}, which starts with {@code /}. */
    public URI resolve(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /");
        }
        return URI.create(base + path);
    }

    @Override
    public String toString() {
        return base;
    }
}

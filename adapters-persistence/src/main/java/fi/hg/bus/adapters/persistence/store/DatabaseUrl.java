package fi.hg.bus.adapters.persistence.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A PostgreSQL location, given either as {@code postgres://user:pass@host:port/db?params} (also
 * {@code postgresql://}) or as a JDBC URL {@code jdbc:postgresql://…}. The password never appears in
 * {@link #toString()} or {@link #redacted()}.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public DatabaseUrl {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    }

    public static DatabaseUrl parse(String text) {
        String value = text.strip();
        if (value.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(value, null, null);
        }
        if (!(value.startsWith("postgres://") || value.startsWith("postgresql://"))) {
            throw new IllegalArgumentException(
                    "a database URL starts with postgres://, postgresql:// or jdbc:postgresql://");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the database URL is not a valid URL");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the database URL names no host");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new DatabaseUrl("jdbc:postgresql://" + host + port + path + query, user, password);
    }

    /** Percent-decoding only: in userinfo a '+' is a plus sign, not a form-encoded space. */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The JDBC URL without any password it may carry, for messages and logs. */
    public String redacted() {
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + redacted() + (user == null ? "" : ", user=" + user) + "]";
    }
}

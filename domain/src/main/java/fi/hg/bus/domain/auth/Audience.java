package fi.hg.bus.domain.auth;

import java.util.Arrays;
import java.util.Optional;

/** Who a token is for. A token is accepted only on the routes of its own audience. */
public enum Audience {
    /** End users, on the public routes. */
    API("ai.hg.fi/api"),
    /** Services, operators and collectors, on the routes under /api/internal/. */
    INTERNAL("ai.hg.fi/internal"),
    /** The auth service's own session and admin tokens. */
    AUTH("ai.hg.fi/auth");

    private final String uri;

    Audience(String uri) {
        this.uri = uri;
    }

    public String uri() {
        return uri;
    }

    public static Optional<Audience> fromUri(String uri) {
        return Arrays.stream(values()).filter(a -> a.uri.equals(uri)).findFirst();
    }
}

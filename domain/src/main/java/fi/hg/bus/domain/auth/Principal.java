package fi.hg.bus.domain.auth;

import java.time.Instant;
import java.util.Objects;

/** The verified caller of a request: whom a valid token names, for which audience and scopes. */
public record Principal(String subject, Audience audience, Scopes scopes, Instant expiresAt) {
    public Principal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(scopes, "scopes");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}

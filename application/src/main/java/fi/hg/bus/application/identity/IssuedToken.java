package fi.hg.bus.application.identity;

import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Scopes;

import java.time.Instant;
import java.util.Objects;

/** A signed token and what it is for. {@link #toString()} never shows the token. */
public record IssuedToken(String token, Instant expiresAt, Audience audience, Scopes scopes) {

    public IssuedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(scopes, "scopes");
    }

    @Override
    public String toString() {
        return "IssuedToken[" + audience.uri() + " " + scopes.text() + " until " + expiresAt + "]";
    }
}

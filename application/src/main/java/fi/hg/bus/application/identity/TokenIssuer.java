package fi.hg.bus.application.identity;

import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Scopes;

import java.time.Duration;

/** Signs tokens that the server's routes accept. */
public interface TokenIssuer {

    /** A token for {@code subject}, valid for {@code ttl} from now, each one distinct (it carries its own id). */
    IssuedToken issue(String subject, Audience audience, Scopes scopes, Duration ttl);
}

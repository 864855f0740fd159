package fi.hg.bus.application.testing;

import fi.hg.bus.application.identity.IssuedToken;
import fi.hg.bus.application.identity.TokenIssuer;
import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Scopes;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Issues tokens named {@code token-N|subject|audience|scopes}, and remembers them. */
public final class CountingTokenIssuer implements TokenIssuer {

    public record Issued(String subject, Audience audience, Scopes scopes, Duration ttl) {
    }

    private final Clock clock;
    private final List<Issued> issued = new ArrayList<>();

    public CountingTokenIssuer(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized IssuedToken issue(String subject, Audience audience, Scopes scopes, Duration ttl) {
        issued.add(new Issued(subject, audience, scopes, ttl));
        return new IssuedToken("token-" + issued.size() + "|" + subject + "|" + audience.uri() + "|" + scopes.text(),
                clock.instant().plus(ttl), audience, scopes);
    }

    public synchronized List<Issued> issued() {
        return List.copyOf(issued);
    }
}

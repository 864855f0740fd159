package fi.hg.bus.application.identity;

import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Scopes;
import fi.hg.bus.domain.identity.Identity;
import fi.hg.bus.domain.identity.IdentityStatus;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Issues an end-user API token ({@code ai.hg.fi/api}) to a signed-in identity: only when it is
 * approved, and only with scopes the deployment allows end users. Its subject is the identity id,
 * which is the account id.
 */
public final class IssueApiToken {

    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final Duration MAX_TTL = Duration.ofDays(30);

    public record Command(UUID identityId, Scopes scopes, Duration ttl) {
        public Command {
            Objects.requireNonNull(identityId, "identityId");
            Objects.requireNonNull(scopes, "scopes");
            if (scopes.isEmpty()) {
                throw new IllegalArgumentException("at least one scope is asked for");
            }
            ttl = ttl == null ? DEFAULT_TTL : ttl;
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
                throw new IllegalArgumentException("a lifetime from 1 second to 30 days");
            }
        }
    }

    public sealed interface Result {
        record Issued(IssuedToken token) implements Result {
        }

        record UnknownIdentity() implements Result {
        }

        record NotApproved(IdentityStatus status) implements Result {
        }

        record ScopesNotAllowed(List<String> scopes) implements Result {
        }
    }

    private final Identities identities;
    private final TokenIssuer tokens;
    private final AuthPolicy policy;

    public IssueApiToken(Identities identities, TokenIssuer tokens, AuthPolicy policy) {
        this.identities = identities;
        this.tokens = tokens;
        this.policy = policy;
    }

    public Result issue(Command command) {
        var found = identities.find(command.identityId());
        if (found.isEmpty()) {
            return new Result.UnknownIdentity();
        }
        Identity identity = found.get();
        if (!identity.isApproved()) {
            return new Result.NotApproved(identity.status());
        }
        List<String> refused = policy.apiScopes().notAllowed(command.scopes());
        if (!refused.isEmpty()) {
            return new Result.ScopesNotAllowed(refused);
        }
        return new Result.Issued(tokens.issue(identity.id().toString(), Audience.API, command.scopes(), command.ttl()));
    }
}

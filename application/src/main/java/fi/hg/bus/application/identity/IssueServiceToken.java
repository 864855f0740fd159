package fi.hg.bus.application.identity;

import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Scopes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Issues a token of any audience to whoever presents the deployment's internal shared key: how
 * services, operators and collectors get tokens without holding the signing secret. With no key
 * configured nobody can.
 */
public final class IssueServiceToken {

    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final Duration MAX_TTL = Duration.ofDays(366);

    public record Command(String subject, Audience audience, Scopes scopes, Duration ttl) {
        public Command {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(scopes, "scopes");
            ttl = ttl == null ? DEFAULT_TTL : ttl;
        }
    }

    public sealed interface Result {
        record Issued(IssuedToken token) implements Result {
        }

        /** No key is configured, or the presented one is missing or wrong. */
        record Forbidden(String reason) implements Result {
        }
    }

    private final Optional<String> internalKey;
    private final TokenIssuer tokens;

    public IssueServiceToken(Optional<String> internalKey, TokenIssuer tokens) {
        this.internalKey = internalKey;
        this.tokens = tokens;
    }

    /**
     * @param presentedKey the caller's key, or null when it gave none
     * @param command      read only once the key is accepted: a caller without the key learns
     *                     nothing about its request
     */
    public Result issue(String presentedKey, Supplier<Command> command) {
        if (internalKey.isEmpty()) {
            return new Result.Forbidden("internal token issuing is disabled: BUS_AUTH_INTERNAL_SHARED_KEY is not set");
        }
        if (presentedKey == null || presentedKey.isEmpty()) {
            return new Result.Forbidden("missing X-Bus-Internal-Key");
        }
        if (!MessageDigest.isEqual(digest(presentedKey), digest(internalKey.get()))) {
            return new Result.Forbidden("the internal key is not valid");
        }
        Command c = command.get();
        return new Result.Issued(tokens.issue(c.subject(), c.audience(), c.scopes(), c.ttl()));
    }

    /** Compared as digests, so that neither the length nor the content leaks through timing. */
    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

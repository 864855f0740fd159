package fi.hg.bus.application.identity;

import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.identity.CodeDigest;
import fi.hg.bus.domain.identity.EmailAddress;
import fi.hg.bus.domain.identity.Identity;
import fi.hg.bus.domain.identity.OneTimeCode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Sends a new six-digit one-time code to a registered address. Only the code's digest is stored;
 * a newer code replaces the older ones; an address may ask only so often (the policy's request
 * limit, counted in the database so that it holds across replicas).
 */
public final class RequestCode {

    public sealed interface Result {
        /** A code was sent; it is good until {@code expiresAt}. */
        record Sent(EmailAddress email, Instant expiresAt) implements Result {
        }

        /** No identity has this address. */
        record UnknownEmail() implements Result {
        }

        /** Too many codes were asked for this address lately; the next may be asked in {@code retryAfter}. */
        record RateLimited(Duration retryAfter) implements Result {
        }
    }

    private final Transactions transactions;
    private final Identities identities;
    private final OneTimeCodes codes;
    private final CodeSender sender;
    private final CodeDigest digest;
    private final RandomGenerator random;
    private final Supplier<UUID> ids;
    private final AuthPolicy policy;
    private final Clock clock;

    public RequestCode(Transactions transactions, Identities identities, OneTimeCodes codes, CodeSender sender,
                       CodeDigest digest, RandomGenerator random, Supplier<UUID> ids, AuthPolicy policy, Clock clock) {
        this.transactions = transactions;
        this.identities = identities;
        this.codes = codes;
        this.sender = sender;
        this.digest = digest;
        this.random = random;
        this.ids = ids;
        this.policy = policy;
        this.clock = clock;
    }

    /** @throws CodeSender.NotSent when the code was stored but could not be handed over for delivery */
    public Result request(EmailAddress email) {
        Instant now = clock.instant();
        String code = newCode();
        record Issued(Result result, boolean send) {
        }
        Issued issued = transactions.inTransaction(() -> {
            Optional<Identity> identity = identities.lock(email);
            if (identity.isEmpty()) {
                return new Issued(new Result.UnknownEmail(), false);
            }
            UUID identityId = identity.get().id();
            var refusal = policy.codeRequests().refusal(
                    codes.issuedSince(identityId, policy.codeRequests().windowStart(now)), now);
            if (refusal.isPresent()) {
                return new Issued(new Result.RateLimited(refusal.get()), false);
            }
            UUID codeId = ids.get();
            OneTimeCode stored = OneTimeCode.issue(codeId, identityId, digest.of(codeId, code), now, policy.codeTtl());
            codes.issue(stored);
            return new Issued(new Result.Sent(email, stored.expiresAt()), true);
        });
        if (issued.send()) {
            sender.send(email, code, policy.codeTtl());
        }
        return issued.result();
    }

    private String newCode() {
        int bound = 1;
        for (int i = 0; i < OneTimeCode.DIGITS; i++) {
            bound *= 10;
        }
        String digits = Integer.toString(random.nextInt(bound));
        return "0".repeat(OneTimeCode.DIGITS - digits.length()) + digits;
    }
}

package fi.hg.bus.application.keys;

import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.keys.ApiKey;
import fi.hg.bus.domain.keys.KeySecret;
import fi.hg.bus.domain.keys.KeyStatus;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Makes an API key for an account: a new random secret, shown this once; the store keeps only
 * its hash.
 */
public final class CreateKey {

    /** The most keys an account may have that are not revoked. */
    public static final int MAX_ACTIVE_KEYS = 1000;

    /**
     * @param quotaLimit the key's own lifetime limit in units of the key meter; null: none
     * @param expiresAt  when the key stops working; null: never
     */
    public record Command(UUID accountId, String name, Long quotaLimit, Instant expiresAt) {
        public Command {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(name, "name");
        }
    }

    public sealed interface Result {
        /** The key and its whole secret, {@code sk-…}, which is never shown again. */
        record Created(KeyView key, String secret) implements Result {
            @Override
            public String toString() {
                return "Created[" + key + "]";
            }
        }

        /** A value of the command cannot be used; {@code field} names it. */
        record Rejected(String field, String problem) implements Result {
        }

        /** The account has {@link #MAX_ACTIVE_KEYS} keys that are not revoked. */
        record TooManyKeys(int max) implements Result {
        }
    }

    private final Transactions transactions;
    private final ApiKeys keys;
    private final String keyMeter;
    private final RandomGenerator random;
    private final Clock clock;

    /**
     * @param random where secrets and key ids come from: a {@link java.security.SecureRandom} in production
     */
    public CreateKey(Transactions transactions, ApiKeys keys, String keyMeter, RandomGenerator random, Clock clock) {
        this.transactions = transactions;
        this.keys = keys;
        this.keyMeter = keyMeter;
        this.random = random;
        this.clock = clock;
    }

    public Result create(Command command) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Optional<String> nameProblem = ApiKey.nameProblem(command.name());
        if (nameProblem.isPresent()) {
            return new Result.Rejected("name", nameProblem.get());
        }
        if (command.quotaLimit() != null && command.quotaLimit() < 1) {
            return new Result.Rejected("quota_limit", "must be a positive integer");
        }
        if (command.expiresAt() != null && !command.expiresAt().isAfter(now)) {
            return new Result.Rejected("expires_at", "must be in the future");
        }
        Instant expiresAt = command.expiresAt() == null ? null : command.expiresAt().truncatedTo(ChronoUnit.MICROS);
        for (int attempt = 0; attempt < 5; attempt++) {
            KeySecret secret = KeySecret.generate(random);
            ApiKey key = new ApiKey(newId(), command.accountId(), command.name(), secret.shownPrefix(),
                    command.quotaLimit(), expiresAt, now, null);
            ApiKeys.Added added = transactions.inTransaction(
                    () -> keys.add(key, secret.lookup(), secret.hash(), MAX_ACTIVE_KEYS));
            switch (added) {
                case ADDED -> {
                    return new Result.Created(new KeyView(key, 0, KeyStatus.ACTIVE, keyMeter), secret.reveal());
                }
                case TOO_MANY -> {
                    return new Result.TooManyKeys(MAX_ACTIVE_KEYS);
                }
                case LOOKUP_TAKEN -> {
                    // 62^12 lookups: practically never; draw another secret
                }
            }
        }
        throw new IllegalStateException("no free key lookup after five attempts; is the random source broken?");
    }

    /** A version 4 UUID from the random source. */
    private UUID newId() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}

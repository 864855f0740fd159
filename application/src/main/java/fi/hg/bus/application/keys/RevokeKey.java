package fi.hg.bus.application.keys;

import fi.hg.bus.application.storage.Transactions;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Revokes one of the account's keys. The key stops working at once on every replica: each
 * request with a key reads it from the store. Revoking a revoked key changes nothing.
 */
public final class RevokeKey {

    public sealed interface Result {
        record Revoked(KeyView key) implements Result {
        }

        /** The account has no such key (another account's key is not shown to exist). */
        record NotFound() implements Result {
        }
    }

    private final Transactions transactions;
    private final ApiKeys keys;
    private final String keyMeter;
    private final Clock clock;

    public RevokeKey(Transactions transactions, ApiKeys keys, String keyMeter, Clock clock) {
        this.transactions = transactions;
        this.keys = keys;
        this.keyMeter = keyMeter;
        this.clock = clock;
    }

    public Result revoke(UUID accountId, UUID keyId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Optional<ApiKeys.Listed> revoked = transactions.inTransaction(() -> keys.revoke(accountId, keyId, now, keyMeter));
        return revoked.<Result>map(l -> new Result.Revoked(new KeyView(l.key(), l.used(), l.key().status(now, l.used()), keyMeter)))
                .orElseGet(Result.NotFound::new);
    }
}

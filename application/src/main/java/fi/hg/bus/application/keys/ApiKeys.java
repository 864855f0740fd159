package fi.hg.bus.application.keys;

import fi.hg.bus.domain.keys.ApiKey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** API keys of accounts, stored with the hash of their secret, and each key's lifetime use per meter. */
public interface ApiKeys {

    /** A key with its lifetime use of one meter. */
    record Listed(ApiKey key, long used) {
    }

    /**
     * Use counted against a key: {@code quantity} of {@code meter}, from a usage record of
     * {@code accountId} (null when the record named no account). The usage ledger counts it when it
     * stores the record ({@code UsageLedger#record}).
     */
    record Use(UUID keyId, UUID accountId, String meter, long quantity) {
    }

    /** What became of a new key. */
    enum Added {
        ADDED,
        /** Another key's secret starts with the same lookup characters; make another secret. */
        LOOKUP_TAKEN,
        /** The account already has the most keys that are not revoked. */
        TOO_MANY
    }

    /**
     * Stores a new key, found later by {@code lookup}, with the hash of its secret, unless the
     * account already has {@code maxActive} keys that are not revoked (counted under a lock on the
     * account, so that concurrent calls on any replica cannot pass it). Must run in a transaction.
     */
    Added add(ApiKey key, String lookup, byte[] secretHash, int maxActive);

    /** The account's keys, revoked ones too, newest first, at most {@code limit}, with their use of {@code meter}. */
    List<Listed> list(UUID accountId, String meter, int limit);

    /** A key of any account, with its use of {@code meter}. */
    Optional<Listed> find(UUID keyId, String meter);

    /**
     * Revokes the account's key at {@code at}, unless it is revoked already; answers the key as it
     * is afterwards, or empty when the account has no such key.
     */
    Optional<Listed> revoke(UUID accountId, UUID keyId, Instant at, String meter);
}

package fi.hg.bus.application.testing;

import fi.hg.bus.application.keys.ApiKeys;
import fi.hg.bus.domain.keys.ApiKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Keys by id with their lookup, hash and use per meter. */
public final class InMemoryApiKeys implements ApiKeys {

    private final Map<UUID, ApiKey> keys = new LinkedHashMap<>();
    private final Map<String, UUID> byLookup = new HashMap<>();
    private final Map<UUID, byte[]> hashes = new HashMap<>();
    private final Map<String, Long> used = new HashMap<>();

    @Override
    public synchronized Added add(ApiKey key, String lookup, byte[] secretHash, int maxActive) {
        if (byLookup.containsKey(lookup)) {
            return Added.LOOKUP_TAKEN;
        }
        long active = keys.values().stream().filter(k -> k.accountId().equals(key.accountId()) && !k.isRevoked()).count();
        if (active >= maxActive) {
            return Added.TOO_MANY;
        }
        keys.put(key.id(), key);
        byLookup.put(lookup, key.id());
        hashes.put(key.id(), secretHash.clone());
        return Added.ADDED;
    }

    @Override
    public synchronized List<Listed> list(UUID accountId, String meter, int limit) {
        return keys.values().stream().filter(k -> k.accountId().equals(accountId))
                .sorted(Comparator.comparing(ApiKey::createdAt).reversed()).limit(limit)
                .map(k -> new Listed(k, used(k.id(), meter))).toList();
    }

    @Override
    public synchronized Optional<Listed> find(UUID keyId, String meter) {
        return Optional.ofNullable(keys.get(keyId)).map(k -> new Listed(k, used(k.id(), meter)));
    }

    @Override
    public synchronized Optional<Listed> revoke(UUID accountId, UUID keyId, Instant at, String meter) {
        ApiKey k = keys.get(keyId);
        if (k == null || !k.accountId().equals(accountId)) {
            return Optional.empty();
        }
        if (!k.isRevoked()) {
            k = new ApiKey(k.id(), k.accountId(), k.name(), k.prefix(), k.quotaLimit(), k.expiresAt(), k.createdAt(), at);
            keys.put(keyId, k);
        }
        return Optional.of(new Listed(k, used(keyId, meter)));
    }

    /** What the usage ledger does when it stores records (see {@code InMemoryUsageLedger}). */
    public synchronized void count(Collection<Use> uses) {
        for (Use u : new ArrayList<>(uses)) {
            ApiKey k = keys.get(u.keyId());
            if (k != null && (u.accountId() == null || k.accountId().equals(u.accountId()))) {
                used.merge(u.keyId() + "|" + u.meter(), u.quantity(), Long::sum);
            }
        }
    }

    public synchronized long used(UUID keyId, String meter) {
        return used.getOrDefault(keyId + "|" + meter, 0L);
    }

    public synchronized Optional<ApiKey> byLookup(String lookup) {
        return Optional.ofNullable(byLookup.get(lookup)).map(keys::get);
    }

    public synchronized Optional<byte[]> hash(String lookup) {
        return Optional.ofNullable(byLookup.get(lookup)).map(hashes::get);
    }
}

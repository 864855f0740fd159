package fi.hg.bus.application.dashboard;

import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.entitlement.Tally;
import fi.hg.bus.domain.keys.ApiKey;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What one dashboard request needs, read in one round trip. */
public interface DashboardReads {

    /**
     * @param secretHash     the stored SHA-256 hash of the key's secret
     * @param keyUsed        the key's lifetime use of the meter
     * @param subscription   the key's account (empty when never seen, or when the account was not asked for)
     * @param catalogVersion the active catalog's version (0: none, or not asked for)
     * @param tallies        the account's counters of the meter in the windows that hold {@code now}
     */
    record Snapshot(ApiKey key, byte[] secretHash, long keyUsed, Optional<Subscription> subscription,
                    long catalogVersion, Map<CounterKey, Tally> tallies) {
    }

    /**
     * The key whose secret starts with {@code lookup}, with its use of {@code meter}; with
     * {@code withAccount} also its account's subscription, the active catalog's version and the
     * account's counters of {@code meter} at {@code now}. Empty when no key has that lookup.
     */
    Optional<Snapshot> read(String lookup, String meter, boolean withAccount, Instant now);
}

package fi.hg.bus.application.dashboard;

import fi.hg.bus.application.catalog.Catalogs;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.dashboard.Balance;
import fi.hg.bus.domain.dashboard.QuotaDisplay;
import fi.hg.bus.domain.dashboard.RateLimit;
import fi.hg.bus.domain.entitlement.Tally;
import fi.hg.bus.domain.keys.ApiKey;
import fi.hg.bus.domain.keys.KeySecret;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The OpenAI-compatible dashboard's figures for the caller's {@code sk-} key: the limit
 * ({@code remain + used}) and the use, in the display unit, for the key itself or for its account,
 * and the key's expiry. One read of the store, then the key's rate limit.
 */
public final class ReadKeyBalance {

    /**
     * @param display   how raw quota units are shown
     * @param perKey    true: the key's own figures; false: its account's binding window
     * @param meter     the meter whose units are the quota units
     * @param rateLimit requests per key and window; empty: none
     */
    public record Settings(QuotaDisplay display, boolean perKey, String meter, Optional<RateLimit> rateLimit) {
        public Settings {
            Objects.requireNonNull(display, "display");
            Objects.requireNonNull(meter, "meter");
            Objects.requireNonNull(rateLimit, "rateLimit");
        }
    }

    public sealed interface Result {
        /**
         * @param softLimit   {@code soft_limit_usd}, {@code hard_limit_usd} and {@code system_hard_limit_usd}
         * @param totalUsage  {@code total_usage}: the use in the display unit, times 100
         * @param accessUntil the key's expiry in Unix seconds; 0 when it never expires
         */
        record Figures(BigDecimal softLimit, BigDecimal totalUsage, long accessUntil) implements Result {
        }

        /** No key, or one that is unknown, revoked or expired; {@code reason} says which, for the caller. */
        record Unauthorized(String reason) implements Result {
        }

        /** The key has made its allowed requests in this window. */
        record RateLimited(RateLimit limit, Instant retryAt) implements Result {
        }
    }

    private final DashboardReads reads;
    private final RateLimits rateLimits;
    private final Catalogs catalogs;
    private final Settings settings;
    private final Clock clock;

    public ReadKeyBalance(DashboardReads reads, RateLimits rateLimits, Catalogs catalogs, Settings settings, Clock clock) {
        this.reads = reads;
        this.rateLimits = rateLimits;
        this.catalogs = catalogs;
        this.settings = settings;
        this.clock = clock;
    }

    /** @param credential what follows {@code Bearer } in the request, or null when there is none */
    public Result read(String credential) {
        if (credential == null || credential.isEmpty()) {
            return new Result.Unauthorized("missing sk- key: send Authorization: Bearer sk-…");
        }
        Optional<KeySecret> presented = KeySecret.fromBearer(credential);
        if (presented.isEmpty()) {
            return new Result.Unauthorized("invalid sk- key");
        }
        KeySecret secret = presented.get();
        Instant now = clock.instant();
        Optional<DashboardReads.Snapshot> found = reads.read(secret.lookup(), settings.meter(), !settings.perKey(), now);
        if (!secret.matches(found.map(DashboardReads.Snapshot::secretHash).orElse(null))) {
            return new Result.Unauthorized("invalid sk- key");
        }
        DashboardReads.Snapshot snapshot = found.get();
        ApiKey key = snapshot.key();
        if (key.isRevoked()) {
            return new Result.Unauthorized("this sk- key has been revoked");
        }
        if (key.isExpired(now)) {
            return new Result.Unauthorized("this sk- key has expired");
        }
        if (settings.rateLimit().isPresent()) {
            RateLimit limit = settings.rateLimit().get();
            RateLimits.Admission admission = rateLimits.admit(key.id(), limit, now);
            if (!admission.admitted()) {
                return new Result.RateLimited(limit, admission.windowEnd());
            }
        }
        Balance balance = settings.perKey() ? Balance.ofKey(key, snapshot.keyUsed()) : accountBalance(snapshot, now);
        long accessUntil = key.expiresAt() == null ? 0 : key.expiresAt().getEpochSecond();
        return new Result.Figures(balance.softLimit(settings.display()), balance.totalUsage(settings.display()), accessUntil);
    }

    private Balance accountBalance(DashboardReads.Snapshot snapshot, Instant now) {
        ApiKey key = snapshot.key();
        Subscription subscription = snapshot.subscription().orElseGet(() -> Subscription.missing(key.accountId()));
        return Balance.ofAccount(subscription, catalogs.at(snapshot.catalogVersion()).plan(subscription.planId()),
                settings.meter(), rule -> snapshot.tallies().getOrDefault(CounterKey.of(key.accountId(), rule, now), Tally.ZERO),
                now);
    }
}

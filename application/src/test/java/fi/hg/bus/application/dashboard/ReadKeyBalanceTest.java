package fi.hg.bus.application.dashboard;

import fi.hg.bus.application.keys.CreateKey;
import fi.hg.bus.application.keys.RevokeKey;
import fi.hg.bus.application.testing.BillingWorld;
import fi.hg.bus.application.testing.InMemoryDashboardReads;
import fi.hg.bus.domain.dashboard.QuotaDisplay;
import fi.hg.bus.domain.dashboard.RateLimit;
import fi.hg.bus.domain.quota.QuotaWindow;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

import static fi.hg.bus.application.testing.BillingWorld.TOKENS;
import static fi.hg.bus.application.testing.BillingWorld.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ReadKeyBalanceTest {

    private final BillingWorld world = new BillingWorld("2026-05-26T10:00:10Z");
    private final CreateKey create = new CreateKey(world.transactions, world.apiKeys, TOKENS, new SplittableRandom(1), world.clock);
    private final InMemoryDashboardReads reads = new InMemoryDashboardReads(world.apiKeys, world.subscriptions,
            world.catalogStore, world.counters);

    /** Fixed windows counted in a map: what the PostgreSQL table does, for one process. */
    private static final class CountingRateLimits implements RateLimits {
        private final Map<String, Long> hits = new HashMap<>();

        @Override
        public synchronized Admission admit(UUID keyId, RateLimit limit, Instant now) {
            long n = hits.merge(keyId + "@" + limit.windowStart(now), 1L, Long::sum);
            return new Admission(n <= limit.requests(), limit.windowEnd(now));
        }
    }

    private ReadKeyBalance balance(boolean perKey, Optional<RateLimit> rateLimit) {
        return new ReadKeyBalance(reads, new CountingRateLimits(), world.catalogs,
                new ReadKeyBalance.Settings(QuotaDisplay.defaults(), perKey, TOKENS, rateLimit), world.clock);
    }

    private String key(UUID account, Long limit, Instant expiresAt) {
        return ((CreateKey.Result.Created) create.create(new CreateKey.Command(account, "k", limit, expiresAt))).secret();
    }

    @Test
    void per_key_the_key_limit_and_use_are_reported_with_its_expiry() {
        world.catalog(tokens(QuotaWindow.MONTH, 10_000_000, null));
        UUID account = world.activeAccount();
        Instant expiry = Instant.parse("2027-01-01T00:00:00Z");
        String secret = key(account, 1_000_000L, expiry);
        UUID keyId = world.apiKeys.list(account, TOKENS, 1).getFirst().key().id();
        world.use(account, "e1", 250_000, keyId);

        var figures = (ReadKeyBalance.Result.Figures) balance(true, Optional.empty()).read(secret);
        assertEquals(new BigDecimal(2), figures.softLimit());
        assertEquals(new BigDecimal(50), figures.totalUsage());
        assertEquals(expiry.getEpochSecond(), figures.accessUntil());
        assertEquals(1, reads.reads(), "one read per request");
    }

    @Test
    void per_account_the_binding_window_is_reported() {
        world.catalog(tokens(QuotaWindow.MINUTE, 2_000_000, null), tokens(QuotaWindow.MONTH, 1_000_000, null));
        UUID account = world.activeAccount();
        String secret = key(account, null, null);
        world.use(account, "e1", 950_000);

        var figures = (ReadKeyBalance.Result.Figures) balance(false, Optional.empty()).read(secret);
        assertEquals(new BigDecimal(2), figures.softLimit(), "month: 50000 remaining + 950000 used");
        assertEquals(new BigDecimal(190), figures.totalUsage());
        assertEquals(0, figures.accessUntil());

        world.clock.advance(Duration.ofMinutes(1));
        world.use(account, "e2", 10_000);
        world.catalog(tokens(QuotaWindow.MINUTE, 10_000, null), tokens(QuotaWindow.MONTH, 1_000_000, null));
        figures = (ReadKeyBalance.Result.Figures) balance(false, Optional.empty()).read(secret);
        assertEquals(new BigDecimal("0.02"), figures.softLimit(), "the spent minute binds: 0 remaining + 10000 used");
        assertEquals(new BigDecimal(2), figures.totalUsage());
    }

    @Test
    void a_missing_unknown_revoked_or_expired_key_is_unauthorized() {
        UUID account = world.activeAccount();
        ReadKeyBalance b = balance(true, Optional.empty());
        assertInstanceOf(ReadKeyBalance.Result.Unauthorized.class, b.read(null));
        assertInstanceOf(ReadKeyBalance.Result.Unauthorized.class, b.read("sk-" + "A".repeat(48)));
        String secret = key(account, null, world.clock.instant().plusSeconds(30));
        assertInstanceOf(ReadKeyBalance.Result.Figures.class, b.read(secret));
        assertInstanceOf(ReadKeyBalance.Result.Unauthorized.class, b.read(secret.substring(0, 40)), "a prefix of the key");
        String sameLookup = secret.substring(0, 15) + "0".repeat(36);
        assertInstanceOf(ReadKeyBalance.Result.Unauthorized.class, b.read(sameLookup), "same lookup, other secret");

        world.clock.advance(Duration.ofSeconds(30));
        assertEquals(new ReadKeyBalance.Result.Unauthorized("this sk- key has expired"), b.read(secret));

        String other = key(account, null, null);
        UUID otherId = world.apiKeys.byLookup(other.substring(3, 15)).orElseThrow().id();
        new RevokeKey(world.transactions, world.apiKeys, TOKENS, world.clock).revoke(account, otherId);
        assertEquals(new ReadKeyBalance.Result.Unauthorized("this sk- key has been revoked"), b.read(other));
    }

    @Test
    void past_the_rate_limit_a_key_is_refused_until_the_window_ends() {
        UUID account = world.activeAccount();
        String secret = key(account, null, null);
        String another = key(account, null, null);
        ReadKeyBalance b = balance(true, Optional.of(new RateLimit(3, Duration.ofMinutes(1))));
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(ReadKeyBalance.Result.Figures.class, b.read(secret));
        }
        var refused = assertInstanceOf(ReadKeyBalance.Result.RateLimited.class, b.read(secret));
        assertEquals(Instant.parse("2026-05-26T10:01:00Z"), refused.retryAt());
        assertInstanceOf(ReadKeyBalance.Result.Figures.class, b.read(another), "the limit is per key");
        world.clock.advance(Duration.ofSeconds(50));
        assertInstanceOf(ReadKeyBalance.Result.Figures.class, b.read(secret));
    }
}

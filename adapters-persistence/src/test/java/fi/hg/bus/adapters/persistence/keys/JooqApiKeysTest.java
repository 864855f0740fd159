package fi.hg.bus.adapters.persistence.keys;

import fi.hg.bus.adapters.persistence.dashboard.JdbcDashboardReads;
import fi.hg.bus.adapters.persistence.dashboard.JdbcRateLimits;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.application.dashboard.RateLimits;
import fi.hg.bus.adapters.persistence.usage.JooqUsageLedger;
import fi.hg.bus.application.keys.ApiKeys;
import fi.hg.bus.application.usage.UsageLedger;
import fi.hg.bus.domain.dashboard.RateLimit;
import fi.hg.bus.domain.keys.ApiKey;
import fi.hg.bus.domain.keys.KeySecret;
import fi.hg.bus.domain.usage.UsageData;
import fi.hg.bus.domain.usage.UsageEventType;
import fi.hg.bus.domain.usage.UsageRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API keys, their use, the dashboard read and the rate-limit windows against a real PostgreSQL database. */
class JooqApiKeysTest {

    private static final Instant NOW = Instant.parse("2026-05-26T10:00:00Z");
    private static final String TOKENS = "bus_llm_tokens";

    private static DatabaseUrl url;
    private static PostgresStore store;
    private static JooqApiKeys keys;

    @BeforeAll
    static void openStore() {
        url = TestDatabases.create();
        store = PostgresStore.open(url, PostgresStore.Options.defaults());
        assertTrue(store.awaitReady(Duration.ofSeconds(30)), "the schema was not migrated in time");
        keys = new JooqApiKeys(store);
    }

    @AfterAll
    static void closeStore() {
        if (store != null) {
            store.close();
        }
        TestDatabases.drop(url);
    }

    private static ApiKeys.Added add(UUID account, KeySecret secret, Long limit, int max) {
        ApiKey key = new ApiKey(UUID.randomUUID(), account, "k", secret.shownPrefix(), limit, null, NOW, null);
        return store.inTransaction(() -> keys.add(key, secret.lookup(), secret.hash(), max));
    }

    @Test
    void concurrent_makers_on_one_account_never_pass_the_most_keys_it_may_hold() throws Exception {
        UUID account = UUID.randomUUID();
        SecureRandom random = new SecureRandom();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiKeys.Added>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            for (int i = 0; i < 24; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return add(account, KeySecret.generate(random), null, 5);
                }));
            }
            start.countDown();
        }
        int added = 0;
        for (Future<ApiKeys.Added> f : results) {
            added += f.get() == ApiKeys.Added.ADDED ? 1 : 0;
        }
        assertEquals(5, added);
        assertEquals(5, keys.list(account, TOKENS, 100).size());
    }

    @Test
    void a_taken_lookup_is_reported_and_stores_nothing() {
        UUID account = UUID.randomUUID();
        KeySecret first = KeySecret.fromBearer("sk-" + "Lookup123456" + "a".repeat(36)).orElseThrow();
        KeySecret second = KeySecret.fromBearer("sk-" + "Lookup123456" + "b".repeat(36)).orElseThrow();
        assertEquals(ApiKeys.Added.ADDED, add(account, first, null, 10));
        assertEquals(ApiKeys.Added.LOOKUP_TAKEN, add(account, second, null, 10));
        assertEquals(1, keys.list(account, TOKENS, 10).size());
        var read = new JdbcDashboardReads(store).read(first.lookup(), TOKENS, false, NOW).orElseThrow();
        assertArrayEquals(first.hash(), read.secretHash());
        assertFalse(second.matches(read.secretHash()));
    }

    /** A record of {@code account} (or none) naming the key {@code keyId}, metered {@code quantity} of {@code meter}. */
    private static UsageLedger.Entry use(String eventId, UUID account, UUID keyId, String meter, long quantity) {
        UsageRecord record = new UsageRecord(eventId, UsageEventType.USAGE_RECORDED, account, NOW,
                UsageData.ofJson("{\"api_key_id\":\"" + keyId + "\"}"));
        return new UsageLedger.Entry(record, false,
                List.of(new UsageLedger.Metered("llm:proxy", meter, quantity, null, NOW, List.of())), keyId);
    }

    @Test
    void use_is_summed_per_key_and_meter_and_only_for_the_key_of_the_records_account() {
        UUID account = UUID.randomUUID();
        KeySecret secret = KeySecret.generate(new SecureRandom());
        add(account, secret, 1000L, 10);
        UUID id = keys.list(account, TOKENS, 1).getFirst().key().id();
        UUID stranger = UUID.randomUUID();
        new JooqUsageLedger(store).record(List.of(
                use("u1", account, id, TOKENS, 10),
                use("u2", null, id, TOKENS, 5),
                use("u3", UUID.randomUUID(), id, TOKENS, 1000),
                use("u4", null, stranger, TOKENS, 7),
                use("u5", account, id, "bus_container_runtime_seconds", 3)), NOW);
        assertEquals(15, keys.find(id, TOKENS).orElseThrow().used());
        assertEquals(3, keys.find(id, "bus_container_runtime_seconds").orElseThrow().used());
        assertEquals(15, new JdbcDashboardReads(store).read(secret.lookup(), TOKENS, true, NOW).orElseThrow().keyUsed());
    }

    @Test
    void a_rate_window_counts_across_callers_and_a_lagging_clock_never_resets_it() {
        RateLimit limit = new RateLimit(3, Duration.ofMinutes(1));
        UUID key = UUID.randomUUID();
        JdbcRateLimits a = new JdbcRateLimits(store);
        JdbcRateLimits b = new JdbcRateLimits(store);
        Instant t = Instant.parse("2026-05-26T10:00:30Z");
        assertTrue(a.admit(key, limit, t).admitted());
        assertTrue(b.admit(key, limit, t).admitted());
        Instant later = t.plusSeconds(40);
        assertTrue(a.admit(key, limit, later).admitted(), "a new window");
        assertTrue(b.admit(key, limit, t).admitted(), "a lagging clock counts into the newer window: 2");
        assertTrue(b.admit(key, limit, t).admitted(), "3");
        RateLimits.Admission refused = a.admit(key, limit, later);
        assertFalse(refused.admitted());
        assertEquals(Instant.parse("2026-05-26T10:02:00Z"), refused.windowEnd());
        assertFalse(a.admit(key, limit, later.plusSeconds(1)).admitted(), "remembered until the window ends");
        assertTrue(a.admit(key, limit, Instant.parse("2026-05-26T10:02:00Z")).admitted());
    }
}

package fi.hg.bus.app.roundtrips;

import fi.hg.bus.adapters.persistence.billing.JooqSubscriptions;
import fi.hg.bus.adapters.persistence.catalog.JooqCatalogStore;
import fi.hg.bus.adapters.persistence.keys.JooqApiKeys;
import fi.hg.bus.adapters.persistence.quota.JooqBillingReads;
import fi.hg.bus.adapters.persistence.quota.JooqQuotaCounters;
import fi.hg.bus.adapters.persistence.quota.JooqReservations;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.adapters.persistence.usage.JooqUsageLedger;
import fi.hg.bus.application.billing.ApplySubscriptionUpdate;
import fi.hg.bus.application.catalog.Catalogs;
import fi.hg.bus.application.catalog.ReplaceCatalog;
import fi.hg.bus.application.keys.CreateKey;
import fi.hg.bus.application.quota.CheckEntitlement;
import fi.hg.bus.application.usage.RecordUsage;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.SubscriptionUpdate;
import fi.hg.bus.domain.catalog.Meter;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.Product;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.entitlement.EntitlementDecision;
import fi.hg.bus.domain.metering.ExportPolicy;
import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.usage.UsageData;
import fi.hg.bus.domain.usage.UsageEventType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How many round trips to PostgreSQL each hot-path use case costs, counted over real connections
 * to a real database (the production adapters and use cases, wired as {@code bus serve} wires
 * them), so that an added statement cannot slip in unnoticed. Each test also checks that the work
 * was done, so that a count cannot be met by doing less.
 */
class RoundTripsTest {

    private static final String LLM = "llm:proxy";
    private static final String TOKENS = "bus_llm_tokens";
    private static final Clock CLOCK = Clock.systemUTC();

    private static final CountingConnections counting = new CountingConnections();
    private static DatabaseUrl url;
    private static PostgresStore store;
    private static RecordUsage recordUsage;
    private static CheckEntitlement checkEntitlement;
    private static ApplySubscriptionUpdate applyUpdate;
    private static CreateKey createKey;
    private static JooqCatalogStore catalogStore;
    private static int updates;

    @BeforeAll
    static void wire() {
        url = TestDatabases.create();
        store = PostgresStore.open(url, PostgresStore.Options.defaults(), counting::wrap);
        assertTrue(store.awaitReady(Duration.ofSeconds(30)), "the schema was not migrated in time");
        catalogStore = new JooqCatalogStore(store);
        Catalogs catalogs = new Catalogs(catalogStore);
        JooqApiKeys keys = new JooqApiKeys(store);
        recordUsage = new RecordUsage(new JooqUsageLedger(store), ExportPolicy.defaults(), CLOCK);
        checkEntitlement = new CheckEntitlement(store, new JooqBillingReads(store), catalogs, new JooqQuotaCounters(store),
                new JooqReservations(store), keys, TOKENS, CLOCK);
        applyUpdate = new ApplySubscriptionUpdate(store, new JooqSubscriptions(store), CLOCK);
        createKey = new CreateKey(store, keys, TOKENS, new SecureRandom(), CLOCK);
        putCatalog(BASIC);
    }

    private static final Plan BASIC = new Plan("basic", "Basic", "llm", List.of(LLM), List.of(), List.of(
            new QuotaRule(LLM, TOKENS, QuotaWindow.MINUTE, 1_000_000, null),
            new QuotaRule(LLM, TOKENS, QuotaWindow.DAY, 10_000_000, null),
            new QuotaRule(LLM, TOKENS, QuotaWindow.MONTH, 100_000_000, null)), Map.of());

    private static void putCatalog(Plan... plans) {
        var stored = new ReplaceCatalog(store, catalogStore, CLOCK).replace(new ReplaceCatalog.Command(
                List.of(new Product("llm", "LLM")), List.of(new Meter(TOKENS, "tokens")), List.of(plans), List.of()));
        assertInstanceOf(ReplaceCatalog.Result.Stored.class, stored);
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
        TestDatabases.drop(url);
    }

    private static UUID activeAccount() {
        return activeAccount("basic");
    }

    private static UUID activeAccount(String plan) {
        UUID account = UUID.randomUUID();
        applyUpdate.apply(new SubscriptionUpdate("update-" + (++updates), account, "local", AccountStatus.ACTIVE,
                null, null, plan, List.of()));
        return account;
    }

    /** Counts what {@code work} sends on this thread. */
    private static <T> Counted<T> count(Supplier<T> work) {
        counting.start();
        T result = work.get();
        return new Counted<>(result, counting.sent());
    }

    private record Counted<T>(T result, List<String> sent) {
        int roundTrips() {
            return sent.size();
        }
    }

    private static RecordUsage.Submitted tokens(String eventId, UUID account, long tokens) {
        return tokens(eventId, account, tokens, null);
    }

    private static RecordUsage.Submitted tokens(String eventId, UUID account, long tokens, UUID apiKey) {
        String json = "{\"total_tokens\":" + tokens + (apiKey == null ? "" : ",\"api_key_id\":\"" + apiKey + "\"") + "}";
        UsageData data = new UsageData(json, Map.of("total_tokens", BigDecimal.valueOf(tokens)),
                apiKey == null ? Map.of() : Map.of("api_key_id", apiKey.toString()));
        return new RecordUsage.Submitted(eventId, UsageEventType.USAGE_RECORDED, account, null, data);
    }

    private static RecordUsage.Recorded record(RecordUsage.Submitted... records) {
        return recordUsage.record(new RecordUsage.Command(List.of(records)));
    }

    private static long query(String sql, Object... binds) {
        try (Connection c = TestDatabases.connect(url); var s = c.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                s.setObject(i + 1, binds[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long usedThisMonth(UUID account) {
        return query("select coalesce(sum(used), 0) from quota_counters where account_id = ? and window_name = 'month'", account);
    }

    private static long reservedThisMonth(UUID account) {
        return query("select coalesce(sum(reserved), 0) from quota_counters where account_id = ? and window_name = 'month'",
                account);
    }

    // ---- recording --------------------------------------------------------------------------------

    @Test
    void recording_one_metered_record_is_one_round_trip() {
        UUID account = activeAccount();
        record(tokens("warm-" + UUID.randomUUID(), account, 1));
        var counted = count(() -> record(tokens("one-" + UUID.randomUUID(), account, 70)));
        assertEquals(new RecordUsage.Recorded(1, 0), counted.result());
        assertEquals(1, counted.roundTrips(), counted.sent().toString());
        assertEquals(71, usedThisMonth(account));
        assertEquals(2, query("select count(*) from usage_exports where account_id = ?", account));
    }

    @Test
    void recording_a_batch_of_a_thousand_records_of_many_accounts_is_one_round_trip() {
        List<UUID> accounts = List.of(activeAccount(), activeAccount(), activeAccount());
        List<RecordUsage.Submitted> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(i % 10 == 0 ? new RecordUsage.Submitted(null, UsageEventType.REQUEST_STARTED, accounts.get(i % 3), null, null)
                    : tokens("batch-" + UUID.randomUUID(), accounts.get(i % 3), 1));
        }
        var counted = count(() -> recordUsage.record(new RecordUsage.Command(batch)));
        assertEquals(new RecordUsage.Recorded(1000, 0), counted.result());
        assertEquals(1, counted.roundTrips(), counted.sent().toString());
        assertEquals(900, accounts.stream().mapToLong(RoundTripsTest::usedThisMonth).sum());
    }

    @Test
    void recording_a_duplicate_is_one_round_trip_and_changes_nothing() {
        UUID account = activeAccount();
        String id = "dup-" + UUID.randomUUID();
        record(tokens(id, account, 70));
        var counted = count(() -> record(tokens(id, account, 999)));
        assertEquals(new RecordUsage.Recorded(0, 1), counted.result());
        assertEquals(1, counted.roundTrips(), counted.sent().toString());
        assertEquals(70, usedThisMonth(account));
        assertEquals(1, query("select count(*) from usage_exports where account_id = ?", account));
    }

    @Test
    void recording_that_settles_a_reservation_and_counts_an_api_key_is_one_round_trip() {
        UUID account = activeAccount();
        var key = assertInstanceOf(CreateKey.Result.Created.class,
                createKey.create(new CreateKey.Command(account, "k", 1_000_000L, null)));
        UUID keyId = key.key().key().id();
        String reservation = "req-" + UUID.randomUUID();
        var reserved = checkEntitlement.check(new CheckEntitlement.Command(account, LLM, TOKENS, 500, reservation,
                Duration.ofMinutes(5)));
        assertInstanceOf(EntitlementDecision.Allowed.class, ((CheckEntitlement.Result.Decided) reserved).decision());
        assertEquals(500, reservedThisMonth(account));
        var counted = count(() -> record(tokens(reservation, account, 420, keyId)));
        assertEquals(new RecordUsage.Recorded(1, 0), counted.result());
        assertEquals(1, counted.roundTrips(), counted.sent().toString());
        assertEquals(0, reservedThisMonth(account), "the settled hold left the counter");
        assertEquals(420, usedThisMonth(account));
        assertEquals(420, query("select used from api_key_usage where key_id = ? and meter = ?", keyId, TOKENS));
        assertEquals(1, query("select count(*) from reservations where id = ? and state = 'settled'", reservation));
    }

    // ---- entitlement checks -----------------------------------------------------------------------

    @Test
    void a_check_without_reservation_is_one_round_trip() {
        UUID account = activeAccount();
        record(tokens("used-" + UUID.randomUUID(), account, 10));
        checkEntitlement.check(new CheckEntitlement.Command(account, LLM, TOKENS, 1, null, null));
        var counted = count(() -> checkEntitlement.check(new CheckEntitlement.Command(account, LLM, TOKENS, 100, null, null)));
        var decided = assertInstanceOf(CheckEntitlement.Result.Decided.class, counted.result());
        assertInstanceOf(EntitlementDecision.Allowed.class, decided.decision());
        assertEquals(1, counted.roundTrips(), counted.sent().toString());
    }

    @Test
    void a_check_that_reserves_is_four_round_trips() {
        UUID account = activeAccount();
        checkEntitlement.check(new CheckEntitlement.Command(account, LLM, TOKENS, 1, "warm-" + UUID.randomUUID(),
                Duration.ofMinutes(5)));
        var counted = count(() -> checkEntitlement.check(new CheckEntitlement.Command(account, LLM, TOKENS, 100,
                "r-" + UUID.randomUUID(), Duration.ofMinutes(5))));
        var decided = assertInstanceOf(CheckEntitlement.Result.Decided.class, counted.result());
        assertInstanceOf(EntitlementDecision.Allowed.class, decided.decision());
        // claim and read (with BEGIN), lock the counters, decide and hold, COMMIT
        assertEquals(4, counted.roundTrips(), counted.sent().toString());
        assertEquals(101, reservedThisMonth(account));
    }

    @Test
    void a_check_that_reserves_and_is_refused_is_three_round_trips() {
        UUID account = UUID.randomUUID(); // never seen: billing required
        var counted = count(() -> checkEntitlement.check(new CheckEntitlement.Command(account, LLM, TOKENS, 100,
                "r-" + UUID.randomUUID(), Duration.ofMinutes(5))));
        var decided = assertInstanceOf(CheckEntitlement.Result.Decided.class, counted.result());
        assertInstanceOf(EntitlementDecision.BillingRequired.class, decided.decision());
        // claim and read (with BEGIN), decide, COMMIT
        assertEquals(3, counted.roundTrips(), counted.sent().toString());
    }

    @Test
    void a_repeated_reservation_is_answered_from_the_first_check() {
        UUID account = activeAccount();
        String id = "r-" + UUID.randomUUID();
        checkEntitlement.check(new CheckEntitlement.Command(account, LLM, TOKENS, 100, id, Duration.ofMinutes(5)));
        var counted = count(() -> checkEntitlement.check(new CheckEntitlement.Command(account, LLM, TOKENS, 100, id,
                Duration.ofMinutes(5))));
        var decided = assertInstanceOf(CheckEntitlement.Result.Decided.class, counted.result());
        assertTrue(decided.replayed());
        // claim and read (with BEGIN; the id is taken), read the first answer, COMMIT
        assertEquals(3, counted.roundTrips(), counted.sent().toString());
        assertEquals(100, reservedThisMonth(account), "nothing more is held");
    }

    @Test
    void a_check_reads_the_windows_of_a_catalog_another_replica_put_before_deciding() {
        // A second replica: its own copy of the catalog, the same database.
        CheckEntitlement replica = new CheckEntitlement(store, new JooqBillingReads(store), new Catalogs(catalogStore),
                new JooqQuotaCounters(store), new JooqReservations(store), new JooqApiKeys(store), TOKENS, CLOCK);
        UUID basic = activeAccount();
        replica.check(new CheckEntitlement.Command(basic, LLM, TOKENS, 1, null, null));
        var known = count(() -> replica.check(new CheckEntitlement.Command(basic, LLM, TOKENS, 1, null, null)));
        assertEquals(1, known.roundTrips(), known.sent().toString());

        // Another replica puts a catalog with a plan that also counts the hour, which the first
        // replica's copy does not have; an account on it spends its hour.
        Plan hourly = new Plan("hourly", "Hourly", "llm", List.of(LLM), List.of(), List.of(
                new QuotaRule(LLM, TOKENS, QuotaWindow.DAY, 10_000_000, null),
                new QuotaRule(LLM, TOKENS, QuotaWindow.HOUR, 50, "basic")), Map.of());
        putCatalog(BASIC, hourly);
        UUID spent = activeAccount("hourly");
        record(tokens("hour-" + UUID.randomUUID(), spent, 50));

        // The replica reads the counters of the windows it knows, sees the newer version, loads
        // that catalog and reads the account again with every window: the hour refuses.
        var first = count(() -> replica.check(new CheckEntitlement.Command(spent, LLM, TOKENS, 0, null, null)));
        var refused = assertInstanceOf(EntitlementDecision.QuotaExceeded.class,
                assertInstanceOf(CheckEntitlement.Result.Decided.class, first.result()).decision());
        assertEquals(QuotaWindow.HOUR, refused.item().window());
        assertEquals(50, refused.item().used());
        assertEquals(3, first.roundTrips(), first.sent().toString());

        // From then on it knows the catalog: one round trip again, with the same answer.
        var next = count(() -> replica.check(new CheckEntitlement.Command(spent, LLM, TOKENS, 0, null, null)));
        assertInstanceOf(EntitlementDecision.QuotaExceeded.class,
                assertInstanceOf(CheckEntitlement.Result.Decided.class, next.result()).decision());
        assertEquals(1, next.roundTrips(), next.sent().toString());

        // A catalog that counts no new window costs the read of the catalog, not a second read of the account.
        putCatalog(BASIC, new Plan("hourly", "Hourly", "llm", List.of(LLM), List.of(), List.of(
                new QuotaRule(LLM, TOKENS, QuotaWindow.DAY, 10_000_000, null),
                new QuotaRule(LLM, TOKENS, QuotaWindow.HOUR, 60, "basic")), Map.of()));
        var relaxed = count(() -> replica.check(new CheckEntitlement.Command(spent, LLM, TOKENS, 0, null, null)));
        assertInstanceOf(EntitlementDecision.Allowed.class,
                assertInstanceOf(CheckEntitlement.Result.Decided.class, relaxed.result()).decision());
        assertEquals(2, relaxed.roundTrips(), relaxed.sent().toString());

        // the other tests' checks run on the shared replica: let it load the catalog now
        checkEntitlement.check(new CheckEntitlement.Command(basic, LLM, TOKENS, 1, null, null));
    }
}

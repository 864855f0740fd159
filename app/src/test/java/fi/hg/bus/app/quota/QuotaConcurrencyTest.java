package fi.hg.bus.app.quota;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.quota.QuotaTestServers.Api;
import fi.hg.bus.app.quota.QuotaTestServers.Response;
import fi.hg.bus.app.serve.BusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static fi.hg.bus.app.quota.QuotaTestServers.usageItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three replicas on one database, 64 callers spread over them, all reserving against one small
 * limit, settling, releasing and replaying. Asserts that the limit is never passed at any moment,
 * and that at the end nothing is held and exactly the accepted usage is counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaConcurrencyTest {

    private static final long LIMIT = 2000;
    private static final int MAX_QUANTITY = 50;
    private static final int CALLERS = 64;
    private static final int ROUNDS = 20;
    private static final Duration BUDGET = Duration.ofSeconds(45);

    /** A day and a total window of the same limit: no window boundary falls inside the test but midnight. */
    private static final String CATALOG = """
            {"products":[{"id":"llm"}],
             "meters":[{"name":"bus_llm_tokens","unit":"tokens"}],
             "plans":[
              {"id":"metered","product_id":"llm","features":["llm:proxy"],
               "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"day","limit":%d,"upgrade_plan_id":"bigger"},
                         {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"total","limit":%d,"upgrade_plan_id":"bigger"}]},
              {"id":"bigger","product_id":"llm","features":["llm:proxy"]}]}""".formatted(LIMIT, LIMIT);

    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong allowed = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong countedTokens = new AtomicLong();
    private final AtomicLong checkReplays = new AtomicLong();
    private final AtomicLong twinChecks = new AtomicLong();
    private final AtomicLong usageReplays = new AtomicLong();
    private final AtomicLong statusReads = new AtomicLong();
    private final AtomicLong highestDeniedCommitment = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();

    /** Sends the twin requests that go to two replicas at once. */
    private final ExecutorService twins = Executors.newVirtualThreadPerTaskExecutor();
    private final List<BusServer> servers = new ArrayList<>();
    private DatabaseUrl db;
    private List<Api> apis;
    private UUID account;
    private Instant today;

    @BeforeAll
    void threeReplicasOnOneDatabase() {
        db = TestDatabases.create();
        Map<String, String> env = QuotaTestServers.env(db);
        env.put("BUS_DATABASE_POOL_SIZE", "12");
        for (int i = 0; i < 3; i++) {
            servers.add(QuotaTestServers.start(env));
        }
        apis = servers.stream().map(Api::new).toList();
    }

    @AfterAll
    void stop() {
        twins.close();
        servers.forEach(BusServer::close);
        TestDatabases.drop(db);
    }

    @Test
    void a_catalog_changed_through_one_replica_applies_at_once_on_the_others() {
        String small = CATALOG.replace("\"limit\":" + LIMIT, "\"limit\":10");
        String large = CATALOG.replace("\"limit\":" + LIMIT, "\"limit\":100");
        assertEquals(200, apis.get(0).putCatalog(small).status());
        UUID who = UUID.randomUUID();
        apis.get(0).activate(who, "metered");
        assertTrue(apis.get(1).check(who, 10).body().path("allowed").asBoolean());
        JsonNode denied = apis.get(2).check(who, 11).body();
        assertEquals("quota_exceeded", denied.path("reason").asText(), denied.toString());
        assertEquals(10, denied.path("usage").path("limit").asLong());

        assertEquals(200, apis.get(0).putCatalog(large).status());
        for (Api api : apis) {
            JsonNode answer = api.check(who, 100).body();
            assertTrue(answer.path("allowed").asBoolean(), answer.toString());
            assertEquals(100, usageItem(api.status(who).body(), "total").path("limit").asLong());
        }
        JsonNode version = apis.get(2).getCatalog().body();
        for (Api api : apis) {
            assertEquals(version, api.getCatalog().body());
        }
    }

    @Test
    void three_replicas_never_let_concurrent_callers_pass_a_limit_and_count_exactly_what_was_accepted() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> violations = new ArrayList<>();
        AtomicLong samples = new AtomicLong();
        Thread monitor = null;
        try {
            assertEquals(200, apis.get(0).putCatalog(CATALOG).status());
            account = UUID.randomUUID();
            assertEquals(200, apis.get(1).activate(account, "metered").status());
            today = Instant.now().truncatedTo(ChronoUnit.DAYS);

            monitor = Thread.ofPlatform().name("quota-monitor").start(() -> watch(running, violations, samples));

            long deadline = System.nanoTime() + BUDGET.toNanos();
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < CALLERS; c++) {
                    int caller = c;
                    callers.submit(() -> {
                        for (int round = 0; round < ROUNDS && System.nanoTime() < deadline; round++) {
                            try {
                                round(caller, round);
                            } catch (RuntimeException e) {
                                failures.add("caller " + caller + " round " + round + ": " + e);
                            }
                        }
                    });
                }
                callers.shutdown();
                assertTrue(callers.awaitTermination(BUDGET.toSeconds() + 60, TimeUnit.SECONDS), "the callers did not finish");
            }
            running.set(false);
            monitor.join();

            assertEquals(List.of(), failures.stream().limit(20).toList(), failures.size() + " failures");
            synchronized (violations) {
                assertEquals(List.of(), violations.stream().limit(20).toList(), "used + reserved passed the limit");
            }
            assertTrue(samples.get() > 20, "the monitor read the counters only " + samples.get() + " times");
            assertTrue(allowed.get() > 0 && settled.get() > 0 && released.get() > 0, "allowed, settled and released work happened");
            assertTrue(denied.get() > 0, "the limit was never reached");
            assertTrue(highestDeniedCommitment.get() > LIMIT - MAX_QUANTITY,
                    "denials came from a nearly full window: " + highestDeniedCommitment.get());
            assertTrue(checkReplays.get() > 0 && twinChecks.get() > 0 && usageReplays.get() > 0 && statusReads.get() > 0);

            assertFinalCounters(apis.get(2));
        } finally {
            running.set(false);
            if (monitor != null) {
                monitor.join();
            }
        }
    }

    /**
     * Sends until the answer is not 503. A replica whose pool is saturated (every connection waiting
     * on the hot counter rows) answers 503 storage_unavailable, having done nothing; a client then
     * repeats the same request, which the reservation id and the event id make safe.
     */
    private Response retrying(java.util.function.Supplier<Response> request) {
        Response r = request.get();
        for (int attempt = 0; r.status() == 503 && attempt < 20; attempt++) {
            if (!"storage_unavailable".equals(r.errorType())) {
                break;
            }
            unavailable.incrementAndGet();
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(20, 100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            r = request.get();
        }
        return r;
    }

    private Api anyApi() {
        return apis.get(ThreadLocalRandom.current().nextInt(apis.size()));
    }

    private static boolean chance(int percent) {
        return ThreadLocalRandom.current().nextInt(100) < percent;
    }

    private void problem(String what, Object detail) {
        failures.add(what + ": " + detail);
    }

    private void round(int caller, int round) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String id = "c" + caller + "-r" + round + "-" + UUID.randomUUID();
        long quantity = random.nextLong(1, MAX_QUANTITY + 1);
        Api api = anyApi();

        Response first;
        if (chance(15)) {
            // the same reservation id on two replicas at once: one answer, one hold
            Api other = apis.get((apis.indexOf(api) + 1) % apis.size());
            var a = CompletableFuture.supplyAsync(() -> retrying(() -> api.reserve(account, id, quantity, 300)), twins);
            var b = CompletableFuture.supplyAsync(() -> retrying(() -> other.reserve(account, id, quantity, 300)), twins);
            first = a.join();
            Response second = b.join();
            twinChecks.incrementAndGet();
            if (second.status() != 200 || !second.body().equals(first.body())) {
                problem("two checks with one reservation id answered differently", first + " / " + second);
            }
        } else {
            first = retrying(() -> api.reserve(account, id, quantity, 300));
        }
        if (first.status() != 200) {
            problem("check failed", first);
            return;
        }
        JsonNode answer = first.body();

        if (chance(20)) {
            long other = random.nextLong(1, MAX_QUANTITY + 1);
            Response replay = retrying(() -> anyApi().reserve(account, id, other, 300));
            checkReplays.incrementAndGet();
            if (replay.status() != 200 || !replay.body().equals(answer)) {
                problem("a replayed check answered differently", answer + " / " + replay);
            }
        }

        if (!answer.path("allowed").asBoolean()) {
            denied.incrementAndGet();
            checkDenial(answer, quantity);
            return;
        }
        allowed.incrementAndGet();
        if (!"metered".equals(answer.path("plan_id").asText())) {
            problem("allowed on an unexpected plan", answer);
        }

        if (chance(20)) {
            Response r = retrying(() -> anyApi().release(id));
            if (r.status() != 200 || !r.body().path("released").asBoolean()) {
                problem("releasing a held reservation failed", r);
                return;
            }
            released.incrementAndGet();
            if (chance(30)) {
                Response again = retrying(() -> anyApi().release(id));
                if (again.status() != 200 || again.body().path("released").asBoolean()) {
                    problem("a reservation was released twice", again);
                }
            }
            return;
        }

        long actual = random.nextLong(1, quantity + 1);
        if (chance(15)) {
            // the same usage event on two replicas at once: exactly one of them counts it
            Api other = anyApi();
            Api api2 = anyApi();
            var a = CompletableFuture.supplyAsync(() -> retrying(() -> api2.use(account, id, actual)), twins);
            var b = CompletableFuture.supplyAsync(() -> retrying(() -> other.use(account, id, actual)), twins);
            Response ra = a.join();
            Response rb = b.join();
            if (ra.status() != 200 || rb.status() != 200) {
                problem("recording usage failed", ra + " / " + rb);
                return;
            }
            int accepted = ra.body().path("accepted").asInt() + rb.body().path("accepted").asInt();
            int duplicates = ra.body().path("duplicates").asInt() + rb.body().path("duplicates").asInt();
            if (accepted != 1 || duplicates != 1) {
                problem("one usage event sent twice at once was not accepted exactly once", ra + " / " + rb);
            }
            if (accepted >= 1) {
                settled.incrementAndGet();
                countedTokens.addAndGet(actual);
            }
        } else {
            Response r = retrying(() -> anyApi().use(account, id, actual));
            if (r.status() != 200) {
                problem("recording usage failed", r);
                return;
            }
            if (r.body().path("accepted").asInt() == 1) {
                settled.incrementAndGet();
                countedTokens.addAndGet(actual);
            } else {
                problem("a new usage event was not accepted", r);
            }
        }

        if (chance(30)) {
            Response replay = retrying(() -> anyApi().use(account, id, actual));
            usageReplays.incrementAndGet();
            if (replay.status() != 200 || replay.body().path("accepted").asInt() != 0
                    || replay.body().path("duplicates").asInt() != 1) {
                problem("a replayed usage event was counted again", replay);
            }
        }
        if (chance(10)) {
            Response replay = retrying(() -> anyApi().reserve(account, id, quantity, 300));
            checkReplays.incrementAndGet();
            if (replay.status() != 200 || !replay.body().equals(answer)) {
                problem("a check replayed after settling answered differently", answer + " / " + replay);
            }
        }
        if (chance(5)) {
            readStatus();
        }
    }

    /** A denial must come from a window whose own numbers refuse this quantity, and that holds no more than its limit. */
    private void checkDenial(JsonNode answer, long quantity) {
        if (!"quota_exceeded".equals(answer.path("reason").asText())) {
            problem("denied for an unexpected reason", answer);
            return;
        }
        JsonNode item = answer.path("usage");
        long committed = item.path("used").asLong() + item.path("reserved").asLong();
        if (committed > LIMIT || committed + quantity <= LIMIT || item.path("limit").asLong() != LIMIT) {
            problem("a denial does not fit its own usage item (quantity " + quantity + ")", answer);
        }
        if (!"bigger".equals(answer.path("recommended_plan").asText()) || !"metered".equals(answer.path("plan_id").asText())) {
            problem("a denial names the wrong plans", answer);
        }
        highestDeniedCommitment.accumulateAndGet(committed, Math::max);
    }

    private void readStatus() {
        Response r = retrying(() -> anyApi().status(account));
        statusReads.incrementAndGet();
        if (r.status() != 200) {
            problem("status failed", r);
            return;
        }
        for (JsonNode item : r.body().path("usage")) {
            boolean sameDay = item.path("window").asText().equals("total")
                    || Instant.parse(item.path("resets_at").asText()).equals(today.plus(Duration.ofDays(1)));
            long committed = item.path("used").asLong() + item.path("reserved").asLong();
            if (sameDay && committed > LIMIT || item.path("reserved").asLong() < 0) {
                problem("status shows a window past its limit", item);
            }
        }
    }

    /**
     * Reads the account's counters every few milliseconds while the callers run. The total window,
     * and the day the test began in, must never hold more than the limit. (A day that begins during
     * the test may: usage held yesterday is counted today, as the spec wants.)
     */
    private void watch(AtomicBoolean running, List<String> violations, AtomicLong samples) {
        try (Connection c = TestDatabases.connect(db);
             PreparedStatement s = c.prepareStatement(
                     "select window_name, window_start, used, reserved from quota_counters where account_id = ?")) {
            s.setObject(1, account);
            while (running.get()) {
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String window = rs.getString(1);
                        Instant start = rs.getObject(2, OffsetDateTime.class).toInstant();
                        long used = rs.getLong(3);
                        long reserved = rs.getLong(4);
                        boolean watched = window.equals("total") || (window.equals("day") && start.equals(today));
                        if (watched && used + reserved > LIMIT || used < 0 || reserved < 0) {
                            synchronized (violations) {
                                violations.add(window + " " + start + ": used " + used + " + reserved " + reserved);
                            }
                        }
                    }
                }
                samples.incrementAndGet();
                Thread.sleep(5);
            }
        } catch (SQLException e) {
            synchronized (violations) {
                violations.add("the monitor could not read the counters: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void assertFinalCounters(Api api) throws SQLException {
        Map<String, long[]> byWindow = new HashMap<>();
        Map<String, Long> states = new HashMap<>();
        try (Connection c = TestDatabases.connect(db)) {
            try (PreparedStatement s = c.prepareStatement("""
                    select window_name, sum(used), sum(reserved) from quota_counters where account_id = ? group by window_name""")) {
                s.setObject(1, account);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        byWindow.put(rs.getString(1), new long[]{rs.getLong(2), rs.getLong(3)});
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "select state, count(*) from reservations where account_id = ? group by state")) {
                s.setObject(1, account);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        states.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }
        assertEquals(List.of("day", "total"), byWindow.keySet().stream().sorted().toList(), "only the plan's windows are counted");
        for (String window : List.of("day", "total")) {
            assertEquals(countedTokens.get(), byWindow.get(window)[0], window + ": used is exactly the accepted usage");
            assertEquals(0, byWindow.get(window)[1], window + ": nothing is left reserved");
        }
        assertTrue(countedTokens.get() <= LIMIT, "used " + countedTokens.get() + " is within the limit");

        assertEquals(settled.get(), states.getOrDefault("settled", 0L), "settled reservations: " + states);
        assertEquals(released.get(), states.getOrDefault("released", 0L), "released reservations: " + states);
        assertEquals(denied.get(), states.getOrDefault("denied", 0L), "denied reservations: " + states);
        assertEquals(0, states.getOrDefault("held", 0L) + states.getOrDefault("pending", 0L), "open reservations: " + states);

        JsonNode status = api.status(account).body();
        assertEquals(countedTokens.get(), usageItem(status, "total").path("used").asLong(), status.toString());
        assertEquals(0, usageItem(status, "total").path("reserved").asLong(), status.toString());
    }
}

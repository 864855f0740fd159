package fi.hg.bus.app.jar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.hg.bus.adapters.http.auth.Hs256Jwt;
import fi.hg.bus.domain.auth.SigningSecret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three {@code bus serve} replicas (the built jar, as processes) on one PostgreSQL that this test
 * owns, under mixed load through all three, while PostgreSQL is stopped and started again on the
 * same data directory and port: at least twice, alternately with a fast and an immediate shutdown.
 * <p>
 * The load: services recording usage (single records and batches, every record with an
 * {@code event_id}; a failed request is sent again, to any replica, with the same ids until it is
 * answered 2xx), callers checking entitlements with reservations on two accounts with small
 * multi-window quotas and then settling them with usage whose {@code event_id} is the
 * reservation id (or releasing them), and collectors draining the feed (SPEC 3.3: fix
 * {@code before}, GET page 1, persist, DELETE page 1, until empty). The feed is a single-collector
 * protocol (DELETE removes the page by position), so the collectors, each on its own replica, take
 * turns under a lease, as a deployment with a collector on stand-by would.
 * <p>
 * Afterwards: every record answered 2xx was collected exactly once and nothing else was; the feed
 * is empty after a final drain; no quota window ever held more than its limit (a monitor reads the
 * counters in PostgreSQL all along); nothing is left reserved and the total windows count exactly
 * the settled usage; every failed request got the JSON error envelope, and the only failure is 503
 * {@code storage_unavailable}; and every replica became ready again by itself after each restart.
 * The replicas are never stopped, so a request without an HTTP answer (a reset, a timeout) is a
 * failure too.
 * <p>
 * Tagged {@code reliability}: {@code bin/reliability} runs it (docs/reliability.md), sized by
 * {@code -Dbus.reliability.scale} (restarts: twice the scale); {@code -Dbus.reliability.seed}
 * repeats the load's choices (sizes, accounts, quantities, order of operations per worker).
 */
@Tag("reliability")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseRestartsJarTest {

    private static final String SECRET = "database-restarts-jar-test-hs256-secret-0123456789";
    private static final String USAGE = "/api/internal/usage-events";
    private static final String CHECK = "/api/internal/billing/entitlement-check";
    private static final String FAR_FUTURE = "9999-12-31T23:59:59Z";
    private static final String UNAVAILABLE = "usage storage is unavailable: ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int REPLICAS = 3;
    private static final int USAGE_WRITERS = 4;
    private static final int QUOTA_CALLERS = 6;
    private static final int COLLECTORS = 2;
    private static final int MAX_QUANTITY = 20;
    /** How long a request is repeated before the test gives up on it (PostgreSQL is never down this long). */
    private static final Duration GIVE_UP = Duration.ofSeconds(120);

    /** Two plans with small limits over several windows; "larger" is only the upgrade they name. */
    private static final String CATALOG = """
            {"products":[{"id":"llm","name":"LLM access"}],
             "meters":[{"name":"bus_llm_tokens","unit":"tokens"}],
             "plans":[
              {"id":"per-minute","name":"Per minute","product_id":"llm","features":["llm:proxy"],
               "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"minute","limit":300,"upgrade_plan_id":"larger"},
                         {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"hour","limit":1200,"upgrade_plan_id":"larger"},
                         {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"total","limit":20000,"upgrade_plan_id":"larger"}]},
              {"id":"tight","name":"Tight","product_id":"llm","features":["llm:proxy"],
               "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"hour","limit":150,"upgrade_plan_id":"larger"},
                         {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"total","limit":200,"upgrade_plan_id":"larger"}]},
              {"id":"larger","name":"Larger","product_id":"llm","features":["llm:proxy"]}]}""";

    /** An account on a plan, with the plan's limits by window. */
    record QuotaAccount(UUID id, String plan, Map<String, Long> limits) {
    }

    private final QuotaAccount perMinute = new QuotaAccount(UUID.randomUUID(), "per-minute",
            Map.of("minute", 300L, "hour", 1200L, "total", 20000L));
    private final QuotaAccount tight = new QuotaAccount(UUID.randomUUID(), "tight", Map.of("hour", 150L, "total", 200L));
    private final List<UUID> otherAccounts = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());

    private final int scale = Math.max(1, Integer.getInteger("bus.reliability.scale", 1));
    private final long seed = Long.getLong("bus.reliability.seed", System.nanoTime());

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final String token = new Hs256Jwt(SigningSecret.parse(SECRET), Clock.systemUTC()).sign("database-restarts",
            "ai.hg.fi/internal", "usage:write usage:read usage:delete billing:catalog:read billing:catalog:write "
                    + "billing:entitlement:check billing:read billing:subscriptions:write",
            Instant.now().minusSeconds(5), Instant.now().plus(Duration.ofHours(6)));

    private Path jar;
    private Path work;
    private OwnPostgres postgres;
    private final List<Process> replicas = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    // what happened
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> collected = new ConcurrentHashMap<>();
    private final Queue<String> collectedTwice = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> settled = new ConcurrentHashMap<>();
    private final Map<String, UUID> settledAccount = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder usageRequests = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder committedBeforeFailure = new LongAdder();
    private final LongAdder replays = new LongAdder();
    private final LongAdder checks = new LongAdder();
    private final LongAdder allowed = new LongAdder();
    private final LongAdder denied = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder pages = new LongAdder();
    private final LongAdder unansweredDeletes = new LongAdder();
    private final LongAdder deletesThatHadHappened = new LongAdder();
    private final LongAdder monitorSamples = new LongAdder();
    private final Set<String> overLimit = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> fullest = new ConcurrentHashMap<>();
    private final List<Outage> outages = new ArrayList<>();

    /** One stop and start of PostgreSQL, as the test saw it. */
    record Outage(String mode, long downMillis, long recoveryMillis, long unavailableAnswers, Set<Integer> replicasSeenUnready) {
    }

    @BeforeAll
    void startPostgresAndThreeReplicas() throws Exception {
        String configured = System.getProperty("bus.jar");
        Assumptions.assumeTrue(configured != null,
                "runs in the integration-test phase on the built jar: bin/reliability -Dtest=DatabaseRestartsJarTest "
                        + "-Dsurefire.failIfNoSpecifiedTests=false");
        jar = Path.of(configured);
        assertTrue(Files.isRegularFile(jar), "the jar is built: " + jar);
        work = Files.createTempDirectory("bus-database-restarts");
        postgres = OwnPostgres.create(work.resolve("postgres"));
        for (int i = 0; i < REPLICAS; i++) {
            int port = OwnPostgres.freePort();
            ports.add(port);
            replicas.add(serve(i, port));
        }
        for (int i = 0; i < REPLICAS; i++) {
            awaitReady(i, Duration.ofSeconds(180));
        }
        assertEquals(200, until2xx("put the catalog", r -> send(0, "PUT", "/api/internal/billing/catalog", CATALOG)).status());
        for (QuotaAccount a : List.of(perMinute, tight)) {
            Answer activated = until2xx("activate", r -> send(1, "POST", "/api/internal/billing/subscription-updates", """
                    {"event_id":"activate-%s","account_id":"%s","provider":"local","status":"active","plan_id":"%s"}"""
                    .formatted(a.id(), a.id(), a.plan())));
            assertEquals(200, activated.status(), activated::toString);
        }
    }

    @AfterAll
    void stopEverything() {
        for (Process p : replicas) {
            p.destroy();
        }
        for (Process p : replicas) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
        if (work != null) {
            keepLogs();
            deleteRecursively(work);
        }
    }

    /** The replicas' and PostgreSQL's logs go to target/database-restarts/ for a look after a failure. */
    private void keepLogs() {
        try {
            Path logs = Files.createDirectories(Path.of("target", "database-restarts"));
            try (var files = Files.walk(work)) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                    Files.copy(f, logs.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            // the logs are a convenience
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the system cleans it up eventually
        }
    }

    @Test
    void every_accepted_record_is_collected_once_no_quota_is_passed_and_the_replicas_recover_across_database_restarts()
            throws Exception {
        Instant began = Instant.now();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean watching = new AtomicBoolean(true);
        ReentrantLock lease = new ReentrantLock();
        Random chaos = new Random(seed);
        List<Thread> load = new ArrayList<>();
        for (int w = 0; w < USAGE_WRITERS; w++) {
            Random random = new Random(seed + 100 + w);
            int writer = w;
            load.add(Thread.ofVirtual().name("usage-writer-" + w).start(() -> guarded(() -> writeUsage(writer, random, running))));
        }
        for (int c = 0; c < QUOTA_CALLERS; c++) {
            Random random = new Random(seed + 200 + c);
            int caller = c;
            load.add(Thread.ofVirtual().name("quota-caller-" + c).start(() -> guarded(() -> callQuota(caller, random, running))));
        }
        for (int c = 0; c < COLLECTORS; c++) {
            Random random = new Random(seed + 300 + c);
            int replica = c % REPLICAS;
            load.add(Thread.ofVirtual().name("collector-" + c).start(() -> guarded(() -> collect(replica, random, running, lease))));
        }
        Map<Integer, Set<String>> readySeen = new ConcurrentHashMap<>();
        List<Thread> readiness = new ArrayList<>();
        for (int r = 0; r < REPLICAS; r++) {
            int replica = r;
            readiness.add(Thread.ofVirtual().name("readiness-" + r).start(() -> guarded(() -> watchReadiness(replica, watching, readySeen))));
        }
        Thread monitor = Thread.ofPlatform().name("quota-monitor").start(() -> guarded(() -> watchCounters(watching)));

        // PostgreSQL goes away and comes back, alternately after a fast and an immediate shutdown
        int restarts = 2 * scale;
        OwnPostgres.sleep(8_000);
        for (int i = 0; i < restarts; i++) {
            boolean immediate = i % 2 == 1;
            readySeen.clear();
            long unavailableBefore = unavailableAnswers();
            long stoppedAt = System.nanoTime();
            if (immediate) {
                postgres.stopImmediately();
            } else {
                postgres.stopFast();
            }
            OwnPostgres.sleep(2_000 + chaos.nextInt(3_000));
            postgres.start();
            long startedAt = System.nanoTime();
            for (int r = 0; r < REPLICAS; r++) {
                awaitReady(r, Duration.ofSeconds(90));
            }
            long recovered = System.nanoTime();
            Set<Integer> seenUnready = new HashSet<>();
            readySeen.forEach((replica, statuses) -> {
                if (statuses.contains("503")) {
                    seenUnready.add(replica);
                }
            });
            outages.add(new Outage(immediate ? "immediate" : "fast", TimeUnit.NANOSECONDS.toMillis(startedAt - stoppedAt),
                    TimeUnit.NANOSECONDS.toMillis(recovered - startedAt), unavailableAnswers() - unavailableBefore, seenUnready));
            OwnPostgres.sleep(10_000 + chaos.nextInt(8_000));
        }

        running.set(false);
        for (Thread t : load) {
            t.join(TimeUnit.SECONDS.toMillis(GIVE_UP.toSeconds() + 60));
            assertTrue(!t.isAlive(), t.getName() + " did not finish");
        }
        OwnPostgres.sleep(1_000);
        lease.lock();
        try {
            assertTrue(drain(2, new Random(seed), Instant.now(), Integer.MAX_VALUE), "the final drain ends");
        } finally {
            lease.unlock();
        }
        Answer rest = until2xx("read the rest of the feed", r -> send(r, "GET", USAGE + "?before=" + FAR_FUTURE + "&page_size=10", null));
        watching.set(false);
        for (Thread t : readiness) {
            t.join();
        }
        monitor.join();
        Duration took = Duration.between(began, Instant.now());

        Map<String, Long> carried = carriedUsage();
        List<String> unexplained = unexplainedOverLimit(carried);
        String summary = summary(took, carried);
        Files.writeString(Path.of("target", "database-restarts.txt"), summary);
        String context = "\nseed " + seed + " (replay: -Dbus.reliability.seed=" + seed + ")\n" + summary;

        assertEquals(List.of(), problems.stream().limit(20).toList(), problems.size() + " problems" + context);
        assertEquals(List.of(), unexplained, "a quota window held more than its limit" + context);
        assertEquals(List.of(), collectedTwice.stream().limit(20).toList(), "collected more than once" + context);
        assertEquals(0, rest.body().path("items").size(), "the feed is empty after the final drain: " + rest + context);
        Set<String> lost = new HashSet<>(accepted);
        lost.removeAll(collected.keySet());
        Set<String> unknown = new HashSet<>(collected.keySet());
        unknown.removeAll(accepted);
        assertEquals(Set.of(), lost.stream().limit(20).collect(java.util.stream.Collectors.toSet()),
                lost.size() + " accepted records were never collected" + context);
        assertEquals(Set.of(), unknown.stream().limit(20).collect(java.util.stream.Collectors.toSet()),
                unknown.size() + " collected records were never accepted" + context);
        assertEquals(accepted.size(), collected.size(), context);

        assertEquals(restarts, outages.size(), context);
        for (Outage o : outages) {
            assertEquals(Set.of(0, 1, 2), o.replicasSeenUnready(), "every replica reported the outage on /readyz: " + o + context);
            assertTrue(o.unavailableAnswers() > 0, "requests were answered 503 during the outage: " + o + context);
        }
        assertTrue(allowed.sum() > 0 && denied.sum() > 0 && released.sum() > 0 && !settled.isEmpty(),
                "checks were allowed, denied, released and settled" + context);
        assertTrue(monitorSamples.sum() > 100, "the monitor read the counters " + monitorSamples.sum() + " times" + context);
        assertFinalCounters(context);
        for (int i = 0; i < REPLICAS; i++) {
            assertTrue(replicas.get(i).isAlive(), "replica " + i + " still runs" + context);
            String log = Files.readString(work.resolve("replica-" + i + ".log"));
            assertTrue(!log.contains("SEVERE"), "replica " + i + " logged an error:\n" + log + context);
        }
    }

    // ---------------------------------------------------------------- the load

    private void writeUsage(int writer, Random random, AtomicBoolean running) {
        long n = 0;
        while (running.get()) {
            int size = random.nextBoolean() ? 1 : 2 + random.nextInt(49);
            List<String> ids = new ArrayList<>(size);
            StringBuilder records = new StringBuilder();
            for (int i = 0; i < size; i++) {
                String id = "u" + writer + "-" + n++;
                ids.add(id);
                records.append(i == 0 ? "" : ",").append(record(id, random));
            }
            String body = size == 1 ? records.toString() : "{\"events\":[" + records + "]}";
            usageRequests.increment();
            if (size > 1) {
                batches.increment();
            }
            if (record(ids, body) && random.nextInt(100) < 5) {
                // a service that did not see the answer sends the same records again
                Answer again = until2xx("replay usage", r -> send(r, "POST", USAGE, body));
                replays.increment();
                if (again != null && (again.body().path("accepted").asInt() != 0 || again.body().path("duplicates").asInt() != size)) {
                    problems.add("a replayed request was counted again: " + again);
                }
            }
        }
    }

    private String record(String id, Random random) {
        UUID account = otherAccounts.get(random.nextInt(otherAccounts.size()));
        return switch (random.nextInt(4)) {
            case 0 -> "{\"event_type\":\"usage_recorded\",\"event_id\":\"%s\",\"account_id\":\"%s\",\"data\":{\"total_tokens\":%d}}"
                    .formatted(id, account, 1 + random.nextInt(500));
            case 1 -> "{\"event_type\":\"container_run_finished\",\"event_id\":\"%s\",\"account_id\":\"%s\",\"data\":{\"duration_ms\":%d}}"
                    .formatted(id, account, 1 + random.nextInt(90_000));
            case 2 -> "{\"event_type\":\"request_started\",\"event_id\":\"%s\",\"data\":{\"model\":\"m-%d\"}}"
                    .formatted(id, random.nextInt(5));
            default -> "{\"event_type\":\"request_failed\",\"event_id\":\"%s\",\"account_id\":\"%s\"}".formatted(id, account);
        };
    }

    /** Sends records until a replica answers 2xx; true when they were answered. */
    private boolean record(List<String> ids, String body) {
        AtomicBoolean failedBefore = new AtomicBoolean();
        Answer a = until2xx("record usage", r -> {
            Answer answer = send(r, "POST", USAGE, body);
            if (!answer.ok()) {
                failedBefore.set(true);
            }
            return answer;
        });
        if (a == null) {
            return false;
        }
        int acceptedNow = a.body().path("accepted").asInt(-1);
        int duplicates = a.body().path("duplicates").asInt(-1);
        if (acceptedNow + duplicates != ids.size() || acceptedNow < 0 || duplicates < 0) {
            problems.add("a usage answer does not add up to " + ids.size() + " records: " + a);
        } else if (duplicates > 0) {
            if (failedBefore.get()) {
                // an earlier attempt was committed although its answer was an error: the retry is safe
                committedBeforeFailure.increment();
            } else {
                problems.add("new records were answered as duplicates: " + a);
            }
        }
        accepted.addAll(ids);
        return true;
    }

    private void callQuota(int caller, Random random, AtomicBoolean running) {
        long n = 0;
        while (running.get()) {
            QuotaAccount account = random.nextInt(10) < 7 ? perMinute : tight;
            String id = "r" + caller + "-" + n++;
            long quantity = 1 + random.nextInt(MAX_QUANTITY);
            String check = """
                    {"account_id":"%s","scope":"llm:proxy","usage":{"meter_event_name":"bus_llm_tokens","quantity":%d},
                     "reservation":{"id":"%s","ttl_seconds":3600}}""".formatted(account.id(), quantity, id);
            Answer a = until2xx("check", r -> send(r, "POST", CHECK, check));
            checks.increment();
            if (a == null) {
                continue;
            }
            JsonNode answer = a.body();
            if (!answer.path("allowed").asBoolean()) {
                denied.increment();
                checkDenial(account, quantity, answer);
                continue;
            }
            allowed.increment();
            if (!account.plan().equals(answer.path("plan_id").asText())) {
                problems.add("allowed on another plan: " + answer);
            }
            if (random.nextInt(100) < 15) {
                AtomicBoolean failedBefore = new AtomicBoolean();
                Answer r = until2xx("release", x -> {
                    Answer attempt = send(x, "DELETE", "/api/internal/billing/reservations/" + id, null);
                    failedBefore.compareAndSet(false, !attempt.ok());
                    return attempt;
                });
                if (r != null) {
                    if (!r.body().path("released").asBoolean() && !(failedBefore.get() && "released".equals(r.body().path("state").asText()))) {
                        problems.add("releasing a held reservation failed: " + r);
                    }
                    released.increment();
                }
                continue;
            }
            long actual = 1 + random.nextInt((int) quantity);
            String settle = "{\"event_type\":\"usage_recorded\",\"event_id\":\"%s\",\"account_id\":\"%s\",\"data\":{\"total_tokens\":%d}}"
                    .formatted(id, account.id(), actual);
            List<String> ids = new ArrayList<>(List.of(id));
            String body = settle;
            usageRequests.increment();
            if (random.nextInt(100) < 30) {
                StringBuilder more = new StringBuilder("{\"events\":[").append(settle);
                for (int i = 0, extra = 1 + random.nextInt(5); i < extra; i++) {
                    String other = "s" + caller + "-" + n + "-" + i;
                    ids.add(other);
                    more.append(',').append(record(other, random));
                }
                body = more.append("]}").toString();
                batches.increment();
            }
            if (record(ids, body)) {
                settled.put(id, actual);
                settledAccount.put(id, account.id());
            }
        }
    }

    /** A denial must name a window of the account's plan whose own numbers refuse the quantity. */
    private void checkDenial(QuotaAccount account, long quantity, JsonNode answer) {
        JsonNode item = answer.path("usage");
        Long limit = account.limits().get(item.path("window").asText());
        long used = item.path("used").asLong(-1);
        long reserved = item.path("reserved").asLong(-1);
        if (!"quota_exceeded".equals(answer.path("reason").asText()) || limit == null || item.path("limit").asLong() != limit
                || used < 0 || reserved < 0 || used + reserved + quantity <= limit) {
            problems.add("a denial that the numbers do not explain (quantity " + quantity + "): " + answer);
        }
    }

    private void collect(int replica, Random random, AtomicBoolean running, ReentrantLock lease) {
        while (running.get()) {
            lease.lock();
            try {
                drain(replica, random, Instant.now().truncatedTo(ChronoUnit.MILLIS), 20);
            } finally {
                lease.unlock();
            }
            OwnPostgres.sleep(100 + random.nextInt(400));
        }
    }

    /**
     * The collector loop of SPEC 3.3 through one replica, at most {@code maxPages} pages; true when
     * the page came back empty. A DELETE that got no 2xx may still have happened: the collector
     * reads page 1 again, and sends the DELETE again only when it shows the same records.
     */
    private boolean drain(int replica, Random random, Instant before, int maxPages) {
        String selector = "?before=" + before + "&page=1&page_size=" + (50 + random.nextInt(451));
        for (int p = 0; p < maxPages; p++) {
            Answer got = until2xx("read the feed", r -> send(replica, "GET", USAGE + selector, null));
            if (got == null) {
                return false;
            }
            JsonNode items = got.body().path("items");
            if (items.isEmpty()) {
                if (got.body().path("has_more").asBoolean()) {
                    problems.add("an empty page has more: " + got);
                }
                return true;
            }
            pages.increment();
            List<Long> ids = new ArrayList<>();
            for (JsonNode item : items) {
                ids.add(item.path("id").asLong());
                String eventId = item.path("event_id").asText(null);
                Instant at = Instant.parse(item.path("occurred_at").asText());
                if (at.isAfter(before)) {
                    problems.add("a record after before=" + before + " was collected: " + item);
                }
                if (eventId == null) {
                    problems.add("a record without event_id in the feed: " + item);
                } else if (collected.putIfAbsent(eventId, at) != null) {
                    collectedTwice.add(eventId);
                }
            }
            while (true) {
                Answer deleted = send(replica, "DELETE", USAGE + selector, null);
                if (deleted.ok()) {
                    if (deleted.body().path("deleted").asInt() != items.size()) {
                        problems.add("DELETE removed " + deleted.body() + " records of a page of " + items.size());
                    }
                    break;
                }
                failed("delete the page", deleted);
                unansweredDeletes.increment();
                OwnPostgres.sleep(100 + random.nextInt(200));
                Answer again = until2xx("read the feed again", r -> send(replica, "GET", USAGE + selector, null));
                if (again == null) {
                    return false;
                }
                List<Long> now = new ArrayList<>();
                again.body().path("items").forEach(i -> now.add(i.path("id").asLong()));
                if (now.isEmpty() || !now.getFirst().equals(ids.getFirst())) {
                    deletesThatHadHappened.increment();
                    break;
                }
                if (!now.equals(ids)) {
                    problems.add("page 1 changed under the collector: " + ids + " then " + now);
                    return false;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- watchers

    /** Asks one replica for /readyz every 200 ms: 200 {"ok":true}, or 503 storage_unavailable while the database is away. */
    private void watchReadiness(int replica, AtomicBoolean watching, Map<Integer, Set<String>> seen) {
        while (watching.get()) {
            Answer a = send(replica, "GET", "/readyz", null);
            seen.computeIfAbsent(replica, x -> ConcurrentHashMap.newKeySet()).add(Integer.toString(a.status()));
            if (a.status() == 200) {
                if (!"{\"ok\":true}".equals(a.raw())) {
                    problems.add("readyz answered 200 with " + a.raw());
                }
            } else if (a.status() != 503 || !"storage_unavailable".equals(a.body().path("error").path("type").asText())
                    || !a.body().path("error").path("message").asText().startsWith(UNAVAILABLE)) {
                problems.add("readyz answered " + a);
            }
            OwnPostgres.sleep(200);
        }
    }

    /**
     * Reads the quota accounts' counters every few milliseconds while the load runs (reconnecting
     * when PostgreSQL is down). A window holding more than its limit is kept as a candidate: usage
     * settled after its window ended is counted in the window of its recording, as the spec wants
     * ("usage recorded after an allowed check is always counted"), so a new window may hold that
     * much more; {@link #unexplainedOverLimit} decides.
     */
    private void watchCounters(AtomicBoolean watching) {
        Map<UUID, QuotaAccount> accounts = Map.of(perMinute.id(), perMinute, tight.id(), tight);
        Connection c = null;
        while (watching.get()) {
            try {
                if (c == null) {
                    c = postgres.connect();
                }
                try (PreparedStatement s = c.prepareStatement("""
                        select account_id, window_name, window_start, used, reserved from quota_counters
                        where account_id = any(?) and feature = 'llm:proxy' and meter = 'bus_llm_tokens'""")) {
                    s.setArray(1, c.createArrayOf("uuid", new Object[]{perMinute.id(), tight.id()}));
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            QuotaAccount account = accounts.get(rs.getObject(1, UUID.class));
                            String window = rs.getString(2);
                            Instant start = rs.getObject(3, OffsetDateTime.class).toInstant();
                            long used = rs.getLong(4);
                            long reserved = rs.getLong(5);
                            Long limit = account.limits().get(window);
                            if (used < 0 || reserved < 0) {
                                problems.add("a negative counter: " + account.plan() + " " + window + " " + start + " " + used + "/" + reserved);
                            }
                            if (limit == null) {
                                continue;
                            }
                            fullest.merge(account.plan() + " " + window, used + reserved, Math::max);
                            if (used + reserved > limit) {
                                overLimit.add(key(account.id(), window, start) + " used " + used + " reserved " + reserved);
                            }
                        }
                    }
                }
                monitorSamples.increment();
            } catch (SQLException e) {
                closeQuietly(c);
                c = null;
                OwnPostgres.sleep(100);
            }
            OwnPostgres.sleep(10);
        }
        closeQuietly(c);
    }

    // ---------------------------------------------------------------- the checks at the end

    private static String key(UUID account, String window, Instant start) {
        return account + " " + window + " " + start;
    }

    /**
     * Usage counted in a window other than the one its reservation held, by window: the
     * reservation's holds are in PostgreSQL, the time the settling record was counted at is its
     * {@code occurred_at} in the feed.
     */
    private Map<String, Long> carriedUsage() throws SQLException {
        Map<String, Long> carried = new TreeMap<>();
        try (Connection c = postgres.connect();
             PreparedStatement s = c.prepareStatement("""
                     select id, account_id, hold_windows, hold_starts from reservations
                     where account_id = any(?) and state = 'settled'""")) {
            s.setArray(1, c.createArrayOf("uuid", new Object[]{perMinute.id(), tight.id()}));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    UUID account = rs.getObject(2, UUID.class);
                    Instant at = collected.get(id);
                    Long actual = settled.get(id);
                    if (at == null || actual == null) {
                        problems.add("a settled reservation without its settling record: " + id);
                        continue;
                    }
                    String[] windows = (String[]) rs.getArray(3).getArray();
                    Array startsArray = rs.getArray(4);
                    Object[] starts = (Object[]) startsArray.getArray();
                    for (int i = 0; i < windows.length; i++) {
                        Instant held = ((java.sql.Timestamp) starts[i]).toInstant();
                        Instant countedIn = windowStart(windows[i], at, held);
                        if (!countedIn.equals(held)) {
                            carried.merge(key(account, windows[i], countedIn), actual, Long::sum);
                        }
                    }
                }
            }
        }
        return carried;
    }

    private static Instant windowStart(String window, Instant at, Instant totalStart) {
        return switch (window) {
            case "minute" -> at.truncatedTo(ChronoUnit.MINUTES);
            case "hour" -> at.truncatedTo(ChronoUnit.HOURS);
            case "total" -> totalStart;
            default -> throw new IllegalArgumentException(window);
        };
    }

    private List<String> unexplainedOverLimit(Map<String, Long> carried) {
        Map<UUID, QuotaAccount> accounts = Map.of(perMinute.id(), perMinute, tight.id(), tight);
        List<String> unexplained = new ArrayList<>();
        for (String sample : overLimit) {
            String[] parts = sample.split(" ");
            String window = key(UUID.fromString(parts[0]), parts[1], Instant.parse(parts[2]));
            long used = Long.parseLong(parts[4]);
            long reserved = Long.parseLong(parts[6]);
            long limit = accounts.get(UUID.fromString(parts[0])).limits().get(parts[1]);
            if (used + reserved > limit + carried.getOrDefault(window, 0L)) {
                unexplained.add(sample + " limit " + limit + " carried in " + carried.getOrDefault(window, 0L));
            }
        }
        return unexplained.stream().limit(20).toList();
    }

    private void assertFinalCounters(String context) throws SQLException {
        Map<UUID, Long> settledByAccount = new HashMap<>();
        settled.forEach((id, actual) -> settledByAccount.merge(settledAccount.get(id), actual, Long::sum));
        try (Connection c = postgres.connect()) {
            for (QuotaAccount account : List.of(perMinute, tight)) {
                try (PreparedStatement s = c.prepareStatement("""
                        select window_name, sum(used), sum(reserved) from quota_counters
                        where account_id = ? and feature = 'llm:proxy' and meter = 'bus_llm_tokens' group by window_name""")) {
                    s.setObject(1, account.id());
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            assertEquals(0, rs.getLong(3), account.plan() + " " + rs.getString(1) + ": nothing is left reserved" + context);
                            if (rs.getString(1).equals("total")) {
                                assertEquals(settledByAccount.getOrDefault(account.id(), 0L), rs.getLong(2),
                                        account.plan() + ": the total window counts exactly the settled usage" + context);
                            }
                        }
                    }
                }
                try (PreparedStatement s = c.prepareStatement(
                        "select count(*) from reservations where account_id = ? and state in ('held', 'pending')")) {
                    s.setObject(1, account.id());
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        assertEquals(0, rs.getLong(1), account.plan() + ": open reservations" + context);
                    }
                }
            }
        }
    }

    private String summary(Duration took, Map<String, Long> carried) {
        StringBuilder s = new StringBuilder();
        s.append("scale ").append(scale).append(", seed ").append(seed).append(", ").append(took.toSeconds()).append(" s of load and checks\n");
        s.append("requests ").append(requests.sum()).append("; usage requests ").append(usageRequests.sum())
                .append(" (batches ").append(batches.sum()).append("), records accepted ").append(accepted.size())
                .append(", collected ").append(collected.size()).append(" in ").append(pages.sum()).append(" pages\n");
        s.append("retries ").append(retries.sum()).append("; committed although answered with an error, then found as duplicates ")
                .append(committedBeforeFailure.sum()).append("; replays ").append(replays.sum()).append('\n');
        s.append("checks ").append(checks.sum()).append(": allowed ").append(allowed.sum()).append(", denied ").append(denied.sum())
                .append(", released ").append(released.sum()).append(", settled ").append(settled.size()).append('\n');
        s.append("DELETEs without a 2xx answer ").append(unansweredDeletes.sum()).append(", of which had happened ")
                .append(deletesThatHadHappened.sum()).append('\n');
        s.append("failures by answer: ").append(new TreeMap<>(Map.copyOf(failures.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()))))).append('\n');
        s.append("fullest windows (used + reserved): ").append(new TreeMap<>(fullest)).append("; monitor samples ")
                .append(monitorSamples.sum()).append("; usage carried into a later window ").append(carried.size()).append(" windows\n");
        for (Outage o : outages) {
            s.append("outage (").append(o.mode()).append(" shutdown): down ").append(o.downMillis()).append(" ms, all replicas ready ")
                    .append(o.recoveryMillis()).append(" ms after the start, ").append(o.unavailableAnswers())
                    .append(" answers 503 storage_unavailable, readyz 503 seen on replicas ").append(o.replicasSeenUnready()).append('\n');
        }
        return s.toString();
    }

    // ---------------------------------------------------------------- HTTP

    /** An answer; status -1 when there was none (the request failed without an HTTP answer). */
    record Answer(int status, JsonNode body, String raw) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    private Answer send(int replica, String method, String path, String body) {
        requests.increment();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(replica) + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
            } catch (IOException notJson) {
                json = JSON.missingNode();
            }
            return new Answer(r.statusCode(), json, r.body());
        } catch (IOException e) {
            return new Answer(-1, JSON.missingNode(), "no answer from replica " + replica + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends through a random replica (the function's argument) until the answer is 2xx; null when the test gives up. */
    private Answer until2xx(String what, java.util.function.IntFunction<Answer> request) {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        Random random = new Random();
        Answer a = request.apply(random.nextInt(REPLICAS));
        while (!a.ok()) {
            failed(what, a);
            if (System.nanoTime() > deadline) {
                problems.add(what + " never succeeded; last: " + a);
                return null;
            }
            retries.increment();
            OwnPostgres.sleep(100 + random.nextInt(200));
            a = request.apply(random.nextInt(REPLICAS));
        }
        return a;
    }

    /**
     * A failed request: it must have an answer (the replicas are never stopped), in the JSON error
     * envelope, and the only failure expected here is 503 storage_unavailable, saying nothing of
     * where the database is.
     */
    private void failed(String what, Answer a) {
        String type = a.body().path("error").path("type").asText(null);
        String message = a.body().path("error").path("message").asText(null);
        failures.computeIfAbsent(a.status() + " " + (a.status() < 0 ? "no answer" : type), k -> new LongAdder()).increment();
        if (a.status() < 0) {
            problems.add(what + ": " + a.raw());
            return;
        }
        if (type == null || message == null || a.body().size() != 1 || a.body().path("error").size() != 3
                || !a.body().path("error").path("request_id").isTextual()) {
            problems.add(what + ": not the error envelope: " + a);
            return;
        }
        if (a.status() != 503 || !type.equals("storage_unavailable") || !message.startsWith(UNAVAILABLE)
                || message.contains("jdbc") || message.contains("127.0.0.1") || message.contains("postgres:")) {
            problems.add(what + ": unexpected failure: " + a);
        }
    }

    private long unavailableAnswers() {
        LongAdder n = failures.get("503 storage_unavailable");
        return n == null ? 0 : n.sum();
    }

    // ---------------------------------------------------------------- processes

    private Process serve(int index, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "-Xmx384m", "-jar", jar.toString(), "serve", "--addr", "127.0.0.1:" + port));
        ProcessBuilder b = new ProcessBuilder(command).directory(work.toFile());
        b.environment().keySet().removeIf(k -> k.startsWith("BUS_"));
        b.environment().put("HOME", work.resolve("home").toString());
        b.environment().put("BUS_DATABASE_URL", postgres.url());
        b.environment().put("BUS_AUTH_HS256_SECRET", SECRET);
        b.environment().put("BUS_DATABASE_POOL_SIZE", "8");
        b.redirectErrorStream(true).redirectOutput(work.resolve("replica-" + index + ".log").toFile());
        return b.start();
    }

    private void awaitReady(int replica, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Answer last = null;
        while (System.nanoTime() < deadline) {
            assertTrue(replicas.get(replica).isAlive(), () -> "replica " + replica + " exited:\n" + log(replica));
            last = send(replica, "GET", "/readyz", null);
            if (last.status() == 200) {
                return;
            }
            OwnPostgres.sleep(100);
        }
        throw new AssertionError("replica " + replica + " did not become ready: " + last + "\n" + log(replica)
                + "\npostgres:\n" + postgres.tail());
    }

    private String log(int replica) {
        try {
            return Files.readString(work.resolve("replica-" + replica + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            problems.add(Thread.currentThread().getName() + " failed: " + e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the server went away
            }
        }
    }
}

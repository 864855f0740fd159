package fi.hg.bus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Entitlement checks (SPEC 5.4) against a catalog of one plan with three windows on
 * {@code llm:proxy}/{@code bus_llm_tokens}, for many active accounts whose counters exist: without
 * a reservation (one read), and with one (a transaction that holds the quantity in all three
 * windows), each reservation settled afterwards by recording its usage.
 */
final class Checks {

    static final String CHECK_PATH = "/api/internal/billing/entitlement-check";
    static final String FEATURE = "llm:proxy";
    static final String METER = "bus_llm_tokens";
    static final String PLAN = "bench-basic";
    static final long MINUTE_LIMIT = 100_000;
    static final long DAY_LIMIT = 10_000_000;
    static final long MONTH_LIMIT = 100_000_000;
    /** Every this many accounts has spent its month: its checks are refused with quota_exceeded. */
    static final int EXHAUSTED_EVERY = 100;
    /** Quantities of the checks: 1 to this many tokens. */
    static final int MAX_QUANTITY = 1000;
    /** Minute counters made ahead of each run, so that every read finds all three windows' rows. */
    static final int MINUTES_AHEAD = 10;

    private static final PrintStream OUT = System.out;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CATALOG_PATH = "/api/internal/billing/catalog";
    private static final String UPDATES_PATH = "/api/internal/billing/subscription-updates";
    private static final String USAGE_PATH = "/api/internal/usage-events";
    private static final int SETTLE_BATCH = 1000;
    private static final int SETUP_CLIENTS = 16;

    private final Options options;
    private final ServerProcess server;
    private final BenchDatabase db;
    private final Transport admin;
    private final Transport checker;
    private final Transport recorder;
    private final String tag;
    private final String[] accounts;
    private final SplittableRandom random = new SplittableRandom(20261123L);
    private final AtomicLong sequence = new AtomicLong();
    private final List<String> setupRemarks = new ArrayList<>();
    private boolean ready;

    /**
     * @param admin    a transport whose token may write the catalog and subscription updates
     * @param checker  a transport whose token holds only {@code billing:entitlement:check}, as a proxy's would
     * @param recorder a transport whose token may record usage (to settle reservations)
     */
    Checks(Options options, ServerProcess server, BenchDatabase db, Transport admin, Transport checker,
           Transport recorder, String tag) {
        this.options = options;
        this.server = server;
        this.db = db;
        this.admin = admin;
        this.checker = checker;
        this.recorder = recorder;
        this.tag = tag;
        this.accounts = new String[options.checkAccounts()];
        for (int i = 0; i < accounts.length; i++) {
            accounts[i] = UUID.randomUUID().toString();
        }
    }

    static boolean exhausted(int account) {
        return account % EXHAUSTED_EVERY == 0;
    }

    // ---------------------------------------------------------------- set-up

    /** The catalog, the active accounts and their counters; once, for both scenarios. */
    private void setUp() throws Exception {
        if (ready) {
            return;
        }
        long t0 = System.nanoTime();
        try (Transport.Client http = admin.open()) {
            Transport.Answer a = http.send(admin.prepare("PUT", CATALOG_PATH, catalog().getBytes(StandardCharsets.UTF_8)));
            if (a.status() != 200) {
                throw new IllegalStateException("PUT catalog answered " + a.status() + ": " + Load.snippet(a.body()));
            }
        }
        List<Transport.Prepared> updates = new ArrayList<>(accounts.length);
        for (int i = 0; i < accounts.length; i++) {
            String body = "{\"event_id\":\"bench-" + tag + "-sub-" + i + "\",\"account_id\":\"" + accounts[i]
                    + "\",\"provider\":\"local\",\"status\":\"active\",\"provider_customer_id\":\"cus_bench_" + i
                    + "\",\"provider_subscription_id\":\"sub_bench_" + i + "\",\"plan_id\":\"" + PLAN
                    + "\",\"features\":[\"" + FEATURE + "\"]}";
            updates.add(admin.prepare("POST", UPDATES_PATH, body.getBytes(StandardCharsets.UTF_8)));
        }
        Load.Outcome o = Load.run(admin, updates, SETUP_CLIENTS, options.runLimit(),
                (i, body) -> MAPPER.readTree(body).path("applied").asBoolean() ? 1 : 0);
        server.requireAlive();
        if (o.failed() > 0 || o.accepted() != accounts.length) {
            throw new IllegalStateException("activating the accounts failed: applied " + o.accepted() + " of "
                    + accounts.length + (o.firstFailure() == null ? "" : "; " + o.firstFailure()));
        }
        double activation = o.seconds();
        long t1 = System.nanoTime();
        long[] monthUsed = new long[accounts.length];
        for (int i = 0; i < accounts.length; i++) {
            monthUsed[i] = exhausted(i) ? MONTH_LIMIT : random.nextLong(1_000_000);
        }
        long rows = db.loadCounters(FEATURE, METER, accounts, monthUsed, options.historyMinutes(), MINUTES_AHEAD);
        double counters = (System.nanoTime() - t1) / 1e9;
        OUT.printf(Locale.ROOT, "  set-up: catalog, %,d accounts activated through the API in %.1f s (%,.0f/s), "
                        + "%,d counter rows loaded with SQL in %.1f s; %.1f s in all%n", accounts.length, activation,
                accounts.length / activation, rows, counters, (System.nanoTime() - t0) / 1e9);
        setupRemarks.add(String.format(Locale.ROOT, "set-up: %s accounts activated through "
                        + "POST subscription-updates (%d clients) in %s s; %s quota counter rows inserted with SQL in %s s",
                Result.count(accounts.length), SETUP_CLIENTS, Result.num(activation), Result.count(rows),
                Result.num(counters)));
        ready = true;
    }

    private static String catalog() {
        return """
                {"products":[{"id":"llm","name":"LLM access"}],
                 "meters":[{"name":"%2$s","unit":"tokens"}],
                 "plans":[
                  {"id":"%3$s","name":"Bench Basic","product_id":"llm","features":["%1$s"],
                   "prices":[{"currency":"eur","unit_amount":1000,"interval":"month"}],
                   "quotas":[
                    {"feature":"%1$s","meter_event_name":"%2$s","window":"minute","limit":%4$d,"upgrade_plan_id":"bench-pro"},
                    {"feature":"%1$s","meter_event_name":"%2$s","window":"day","limit":%5$d,"upgrade_plan_id":"bench-pro"},
                    {"feature":"%1$s","meter_event_name":"%2$s","window":"month","limit":%6$d,"upgrade_plan_id":"bench-pro"}]},
                  {"id":"bench-pro","name":"Bench Pro","product_id":"llm","features":["%1$s"],
                   "prices":[{"currency":"eur","unit_amount":5000,"interval":"month"}],
                   "quotas":[
                    {"feature":"%1$s","meter_event_name":"%2$s","window":"month","limit":%7$d}]}]}
                """.formatted(FEATURE, METER, PLAN, MINUTE_LIMIT, DAY_LIMIT, MONTH_LIMIT, MONTH_LIMIT * 10);
    }

    // ---------------------------------------------------------------- scenarios

    /** (a) Checks without reservation, as fast as they are answered: the capacity. */
    Result checkScenario() throws Exception {
        int count = options.checkRequests();
        Result r = new Result("entitlement check, no reservation", options.checkClients() + " clients",
                Result.count(count) + " checks, " + Result.count(accounts.length) + " accounts × 3 windows", "checks/s",
                "check", new Result.Target(5_000, true, "≥ 5,000 checks/s"));
        return run(r, count, false, 0);
    }

    /** (a) Checks without reservation sent at a fixed rate: the latency while serving that rate. */
    Result pacedScenario() throws Exception {
        int count = options.checkRequests();
        int rate = options.checkRate();
        Result r = new Result("entitlement check at " + Result.count(rate) + "/s, no reservation",
                options.checkClients() + " clients", Result.count(count) + " checks, " + Result.count(accounts.length)
                        + " accounts × 3 windows", "checks/s", "check",
                new Result.Target(rate * 0.99, true, 10.0, "p99 < 10 ms at " + Result.count(rate) + " checks/s"));
        return run(r, count, false, rate);
    }

    /** (b) Checks that hold their quantity under a reservation id never used before. */
    Result reserveScenario() throws Exception {
        int count = options.reserveRequests();
        Result r = new Result("entitlement check with reservation", options.checkClients() + " clients",
                Result.count(count) + " checks, " + Result.count(accounts.length) + " accounts × 3 windows", "checks/s",
                "check", null);
        return run(r, count, true, 0);
    }

    private Result run(Result r, int count, boolean reserve, double rate) throws Exception {
        OUT.println("bench: " + r.name + ", " + r.clients + ", " + r.work + ", " + options.repeats() + " runs");
        setUp();
        r.remarks.addAll(setupRemarks); // on the first scenario only
        setupRemarks.clear();
        List<Double> settleSeconds = new ArrayList<>();
        long allowed = 0;
        long denied = 0;
        for (int run = 0; run <= options.repeats(); run++) {
            boolean warmUp = run == 0;
            int n = warmUp ? Math.max(100, count / 2) : count;
            db.ensureMinuteCounters(FEATURE, METER, accounts, MINUTES_AHEAD);
            Batch batch = prepare(n, reserve);
            CpuMeter meter = new CpuMeter(server, db);
            meter.start();
            Load.Outcome o = Load.run(checker, batch.requests, options.checkClients(), options.runLimit(), batch::read,
                    rate);
            CpuMeter.Usage cpu = meter.stop();
            server.requireAlive();
            String settled = "";
            if (reserve) {
                double s = settle(batch, r);
                settled = String.format(Locale.ROOT, "; settled %,d in %.1f s", batch.allowed.sum(), s);
                if (!warmUp) {
                    settleSeconds.add(s);
                }
            }
            double achieved = o.sent() / o.seconds();
            if (warmUp) {
                BusBench.progress("warm-up", o, achieved, "checks/s", null);
            } else {
                if (o.failed() > 0) {
                    r.failures += o.failed();
                    r.remarks.add(o.failed() + " checks failed, first: " + o.firstFailure());
                }
                if (o.accepted() != n) {
                    r.failures++;
                    r.remarks.add("answered as expected " + o.accepted() + " of " + n + " checks (time limit or failures)");
                }
                allowed += batch.allowed.sum();
                denied += batch.denied.sum();
                r.add(achieved, achieved, o.latencyMillis(0.5), o.latencyMillis(0.99), cpu);
                BusBench.progress("run " + run, o, achieved, "checks/s", cpu);
            }
            OUT.printf(Locale.ROOT, "           allowed %,d, denied %,d%s%n", batch.allowed.sum(), batch.denied.sum(), settled);
        }
        r.remarks.add(String.format(Locale.ROOT, "answers of the measured runs: %s allowed, %s quota_exceeded "
                + "(the 1%% of accounts whose month is spent), each as expected for its account", Result.count(allowed),
                Result.count(denied)));
        if (reserve) {
            r.remarks.add(String.format(Locale.ROOT, "after each run every held reservation was settled by recording its "
                            + "usage (batches of %s, outside the measured time) in %s s (median); then no counter held anything",
                    Result.count(SETTLE_BATCH), Result.num(Result.median(settleSeconds))));
        }
        return r;
    }

    /** The requests of one run, and what their answers must be. */
    private final class Batch {
        final List<Transport.Prepared> requests;
        final int[] account;
        final int[] quantity;
        final String[] reservation;
        final boolean[] wasAllowed;
        final LongAdder allowed = new LongAdder();
        final LongAdder denied = new LongAdder();

        Batch(int n, boolean reserve) {
            requests = new ArrayList<>(n);
            account = new int[n];
            quantity = new int[n];
            reservation = reserve ? new String[n] : null;
            wasAllowed = new boolean[n];
        }

        /** Counts 1 for an answer that is what the account's state calls for; throws otherwise. */
        long read(int i, byte[] body) throws IOException {
            JsonNode answer = MAPPER.readTree(body);
            boolean ok = answer.path("allowed").asBoolean(false);
            boolean expected = !exhausted(account[i]);
            if (ok != expected || (!ok && !answer.path("reason").asText().equals("quota_exceeded"))) {
                throw new IOException("account " + accounts[account[i]] + " (" + (expected ? "not " : "")
                        + "exhausted) was answered " + Load.snippet(body));
            }
            if (ok) {
                wasAllowed[i] = true;
                allowed.increment();
            } else {
                denied.increment();
            }
            return 1;
        }
    }

    private Batch prepare(int n, boolean reserve) {
        Batch b = new Batch(n, reserve);
        StringBuilder sb = new StringBuilder(256);
        for (int i = 0; i < n; i++) {
            int a = random.nextInt(accounts.length);
            int q = 1 + random.nextInt(MAX_QUANTITY);
            b.account[i] = a;
            b.quantity[i] = q;
            sb.setLength(0);
            sb.append("{\"account_id\":\"").append(accounts[a]).append("\",\"scope\":\"").append(FEATURE)
                    .append("\",\"usage\":{\"meter_event_name\":\"").append(METER).append("\",\"quantity\":").append(q)
                    .append('}');
            if (reserve) {
                String id = "bench-" + tag + "-r-" + sequence.incrementAndGet();
                b.reservation[i] = id;
                sb.append(",\"reservation\":{\"id\":\"").append(id).append("\",\"ttl_seconds\":300}");
            }
            sb.append('}');
            b.requests.add(checker.prepare("POST", CHECK_PATH, sb.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    /**
     * Records the usage of every allowed reservation of {@code b} under the reservation's id, which
     * settles it (SPEC 4.3), so that holds do not pile up from run to run; then checks that no
     * counter holds anything any more. Answers the seconds it took.
     */
    private double settle(Batch b, Result r) throws Exception {
        long t0 = System.nanoTime();
        String now = Instant.now().toString();
        List<Transport.Prepared> requests = new ArrayList<>();
        StringBuilder sb = new StringBuilder(SETTLE_BATCH * 200);
        int inBatch = 0;
        int expected = 0;
        for (int i = 0; i < b.requests.size(); i++) {
            if (!b.wasAllowed[i]) {
                continue;
            }
            sb.append(inBatch == 0 ? "{\"events\":[" : ",");
            sb.append("{\"event_type\":\"usage_recorded\",\"event_id\":\"").append(b.reservation[i])
                    .append("\",\"account_id\":\"").append(accounts[b.account[i]])
                    .append("\",\"occurred_at\":\"").append(now)
                    .append("\",\"data\":{\"model\":\"bench-model\",\"total_tokens\":").append(b.quantity[i]).append("}}");
            expected++;
            if (++inBatch == SETTLE_BATCH) {
                requests.add(recorder.prepare("POST", USAGE_PATH, sb.append("]}").toString().getBytes(StandardCharsets.UTF_8)));
                sb.setLength(0);
                inBatch = 0;
            }
        }
        if (inBatch > 0) {
            requests.add(recorder.prepare("POST", USAGE_PATH, sb.append("]}").toString().getBytes(StandardCharsets.UTF_8)));
        }
        Load.Outcome o = Load.run(recorder, requests, 4, options.runLimit());
        server.requireAlive();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (o.failed() > 0 || o.accepted() != expected) {
            r.failures++;
            r.remarks.add("settling failed: accepted " + o.accepted() + " of " + expected
                    + (o.firstFailure() == null ? "" : "; " + o.firstFailure()));
            return seconds;
        }
        BenchDatabase.Holds holds = db.holds();
        if (holds.reserved() != 0 || holds.heldReservations() != 0) {
            r.failures++;
            r.remarks.add("after settling, counters still hold " + holds.reserved() + " under "
                    + holds.heldReservations() + " held reservations");
        }
        return seconds;
    }
}

package fi.hg.bus.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmarks of usage recording, of the collector feed and of entitlement checks against a real
 * {@code bus serve}: a fresh database on the local PostgreSQL server, the server jar in a process
 * of its own, and clients on virtual threads talking HTTP to it over loopback. Prints one table
 * and writes docs/benchmarks.md.
 */
public final class BusBench {

    private static final PrintStream OUT = System.out;
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);
    private static final String USAGE_PATH = "/api/internal/usage-events";
    private static final int API_LOAD_BATCH = 10_000;
    private static final int API_LOAD_CLIENTS = 4;

    private final Options options;
    private final String tag = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private final AtomicLong sequence = new AtomicLong();
    private final String[] accounts = new String[100];
    private ServerProcess server;
    private BenchDatabase db;
    private Transport transport;
    private String token;

    private BusBench(Options options) {
        this.options = options;
        for (int i = 0; i < accounts.length; i++) {
            accounts[i] = UUID.randomUUID().toString();
        }
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("bench: " + e.getMessage());
            }
            System.err.print(Options.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        int code;
        try {
            code = new BusBench(options).run();
        } catch (Exception e) {
            System.err.println("bench: failed: " + e);
            e.printStackTrace(System.err);
            code = 1;
        }
        System.exit(code);
    }

    private int run() throws Exception {
        Instant startedAt = Instant.now();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(startedAt);
        Files.createDirectories(options.resultsDir());
        Machine machine = Machine.describe();
        Thread cleanup = new Thread(this::cleanUp, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        List<Result> results = new ArrayList<>();
        String pgVersion;
        String pgSettings;
        String pgbenchVersion = null;
        try {
            db = BenchDatabase.create(options);
            pgVersion = db.serverVersion();
            pgSettings = db.settings();
            OUT.println("bench: database " + db.name() + " on " + options.pgHost() + ":" + options.pgPort());
            String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
            Map<String, String> env = new LinkedHashMap<>();
            env.put("BUS_DATABASE_URL", db.busUrl());
            env.put("BUS_AUTH_HS256_SECRET", secret);
            env.put("BUS_STORE", "postgres");
            // The dashboard scenario counts every request against its key's rate limit but must never be refused.
            env.put("BUS_RATE_LIMIT", Dashboard.RATE_LIMIT);
            env.put("BUS_DATA_DIR", options.resultsDir().resolve("data").toString());
            List<String> jvm = new ArrayList<>(options.serverJvmOptions());
            if (options.jfr()) {
                Path jfr = options.resultsDir().resolve("server-" + stamp + ".jfr");
                jvm.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
                OUT.println("bench: the server records JFR into " + jfr);
            }
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path log = options.resultsDir().resolve("server-" + stamp + ".log");
            server = ServerProcess.start(java, options.jar(), jvm, env, log);
            OUT.println("bench: server pid " + server.pid() + " on " + server.uri("") + " (log: " + log + ")");
            byte[] key = secret.getBytes(StandardCharsets.UTF_8);
            token = Tokens.internal(key, "bench", "usage:write usage:read usage:delete", Duration.ofHours(12));
            transport = Transport.of(options.client(), server.port(), token);
            OUT.println("bench: client: " + transport.describe());
            // The checks use a token that may only check, as an LLM proxy's would; the set-up has its own.
            Checks checks = new Checks(options, server, db,
                    Transport.of(options.client(), server.port(), Tokens.internal(key, "bench-admin",
                            "billing:catalog:write billing:subscriptions:write", Duration.ofHours(12))),
                    Transport.of(options.client(), server.port(), Tokens.internal(key, "bench-proxy",
                            "billing:entitlement:check", Duration.ofHours(12))),
                    transport, tag);
            Transport setupAdmin = Transport.of(options.client(), server.port(), Tokens.internal(key, "bench-dash-admin",
                    "billing:catalog:write billing:subscriptions:write usage:write", Duration.ofHours(12)));
            Dashboard dashboard = new Dashboard(options, server, db, key, setupAdmin, tag);
            Pgbench pgbench = options.baselines() ? new Pgbench(options, db) : null;
            if (pgbench != null) {
                pgbenchVersion = pgbench.version();
            }
            try {
                if (options.scenarios().contains("batch")) {
                    Result bus = batchScenario();
                    results.add(bus);
                    if (pgbench != null) {
                        Result base = pgbench.insert("pgbench INSERT, " + Result.count(options.batchSize())
                                        + " rows per transaction", options.batchSize(), options.batchClients(),
                                options.batchRequests(), "events/s", "event");
                        bus.compareWith(base, "pgbench insert rate");
                        results.add(base);
                    }
                }
                if (options.scenarios().contains("single")) {
                    settle("single records");
                    Result bus = singleScenario();
                    results.add(bus);
                    if (pgbench != null) {
                        Result base = pgbench.insert("pgbench INSERT, 1 row per transaction", 1,
                                options.singleClients(), options.singleRequests(), "transactions/s", "transaction");
                        bus.compareWith(base, "pgbench insert rate");
                        results.add(base);
                    }
                }
                if (options.scenarios().contains("drain")) {
                    settle("the drain");
                    results.add(drainScenario());
                }
                List<Result> checked = new ArrayList<>();
                if (options.scenarios().contains("check")) {
                    settle("the checks");
                    Result r = checks.checkScenario();
                    results.add(r);
                    checked.add(r);
                }
                if (options.scenarios().contains("paced")) {
                    settle("the paced checks");
                    results.add(checks.pacedScenario());
                }
                if (options.scenarios().contains("reserve")) {
                    settle("the checks with reservation");
                    Result r = checks.reserveScenario();
                    results.add(r);
                    checked.add(r);
                }
                if (options.baselines() && options.any("check", "reserve")) {
                    Result select = pgbench.selectOnly(options.checkClients(), options.checkRequests());
                    results.add(select);
                    Result bucket;
                    try (Bucket4jPeer peer = new Bucket4jPeer(options, db)) {
                        bucket = peer.scenario();
                    }
                    results.add(bucket);
                    for (Result r : checked) {
                        r.compareWith(select, "pgbench -S rate").compareWith(bucket, "Bucket4j");
                    }
                }
                if (options.scenarios().contains("dashboard")) {
                    settle("the dashboard");
                    results.add(dashboard.scenario());
                }
                if (options.scenarios().contains("cli")) {
                    results.addAll(new CliStart(options, server, key, setupAdmin, tag).scenario());
                }
            } catch (RuntimeException e) {
                server.requireAlive(); // names the cause when the server is gone
                throw e;
            }
        } finally {
            cleanUp();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        Instant finishedAt = Instant.now();
        String loadAfter = Machine.loadAverageNow();
        String table = Report.consoleTable(results);
        OUT.println();
        OUT.print(table);
        if (options.writeDoc()) {
            Path doc = options.docFile();
            Report.writeDoc(doc, options, machine, pgVersion, pgSettings, pgbenchVersion, loadAfter, results,
                    startedAt, finishedAt);
            OUT.println("bench: wrote " + doc);
        } else if (!options.allScenarios()) {
            OUT.println("bench: only some scenarios ran, so docs/benchmarks.md was left alone (--doc writes it anyway)");
        }
        boolean failures = results.stream().anyMatch(r -> r.failures > 0);
        return failures ? 1 : 0;
    }

    private synchronized void cleanUp() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (db != null) {
            try {
                db.close();
            } catch (SQLException e) {
                System.err.println("bench: could not drop database " + db.name() + ": " + e.getMessage());
            }
            db = null;
        }
    }

    // ---------------------------------------------------------------- recording

    private Result batchScenario() throws Exception {
        int size = options.batchSize();
        int count = options.batchRequests();
        Result r = new Result("POST batches of " + Result.count(size) + " records", options.batchClients() + " clients",
                Result.count(count) + " requests = " + Result.count((long) count * size) + " events", "events/s", "event",
                new Result.Target(20_000, true, "≥ 20,000 events/s"));
        OUT.println("bench: " + r.name + ", " + r.clients + ", " + r.work + ", " + options.repeats() + " runs");
        int warm = Math.max(10, count / 2);
        Load.Outcome w = Load.run(transport, batches(warm, size), options.batchClients(), options.runLimit());
        server.requireAlive();
        progress("warm-up", w, (double) w.accepted() / w.seconds(), "events/s", null);
        for (int run = 1; run <= options.repeats(); run++) {
            List<Transport.Prepared> requests = batches(count, size);
            CpuMeter meter = new CpuMeter(server, db);
            meter.start();
            Load.Outcome o = Load.run(transport, requests, options.batchClients(), options.runLimit());
            CpuMeter.Usage cpu = meter.stop();
            server.requireAlive();
            checkAccepted(r, o, (long) count * size);
            double rate = o.accepted() / o.seconds();
            r.add(rate, rate, o.latencyMillis(0.5), o.latencyMillis(0.99), cpu);
            progress("run " + run, o, rate, "events/s", cpu);
        }
        return r;
    }

    private Result singleScenario() throws Exception {
        int count = options.singleRequests();
        Result r = new Result("POST single records", options.singleClients() + " clients",
                Result.count(count) + " requests", "requests/s", "request", new Result.Target(2_000, true, "≥ 2,000 requests/s"));
        OUT.println("bench: " + r.name + ", " + r.clients + ", " + r.work + ", " + options.repeats() + " runs");
        int warm = Math.max(100, count / 2);
        Load.Outcome w = Load.run(transport, singles(warm), options.singleClients(), options.runLimit());
        server.requireAlive();
        progress("warm-up", w, w.sent() / w.seconds(), "requests/s", null);
        for (int run = 1; run <= options.repeats(); run++) {
            List<Transport.Prepared> requests = singles(count);
            CpuMeter meter = new CpuMeter(server, db);
            meter.start();
            Load.Outcome o = Load.run(transport, requests, options.singleClients(), options.runLimit());
            CpuMeter.Usage cpu = meter.stop();
            server.requireAlive();
            checkAccepted(r, o, count);
            double rate = o.sent() / o.seconds();
            r.add(rate, rate, o.latencyMillis(0.5), o.latencyMillis(0.99), cpu);
            progress("run " + run, o, rate, "requests/s", cpu);
        }
        return r;
    }

    private void checkAccepted(Result r, Load.Outcome o, long expected) {
        if (o.failed() > 0) {
            r.failures += o.failed();
            r.remarks.add(o.failed() + " requests failed, first: " + o.firstFailure());
        }
        if (o.accepted() != expected) {
            r.failures++;
            r.remarks.add("accepted " + o.accepted() + " of " + expected + " events (time limit or failures)");
        }
    }

    private List<Transport.Prepared> batches(int count, int size) {
        List<Transport.Prepared> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder(size * 200 + 16);
            sb.append("{\"events\":[");
            String now = Instant.now().toString();
            for (int j = 0; j < size; j++) {
                if (j > 0) {
                    sb.append(',');
                }
                record(sb, now);
            }
            sb.append("]}");
            requests.add(post(sb));
        }
        return requests;
    }

    private List<Transport.Prepared> singles(int count) {
        List<Transport.Prepared> requests = new ArrayList<>(count);
        String now = Instant.now().toString();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder(220);
            record(sb, now);
            requests.add(post(sb));
        }
        return requests;
    }

    /** One usage record as an LLM proxy reports it, with a key never used before. */
    private void record(StringBuilder sb, String occurredAt) {
        long seq = sequence.incrementAndGet();
        int in = (int) (seq % 3000);
        int out = (int) (seq % 700);
        sb.append("{\"event_type\":\"usage_recorded\",\"event_id\":\"bench-").append(tag).append('-').append(seq)
                .append("\",\"account_id\":\"").append(accounts[(int) (seq % accounts.length)])
                .append("\",\"occurred_at\":\"").append(occurredAt)
                .append("\",\"data\":{\"model\":\"bench-model\",\"input_tokens\":").append(in)
                .append(",\"output_tokens\":").append(out)
                .append(",\"total_tokens\":").append(in + out).append("}}");
    }

    private Transport.Prepared post(CharSequence body) {
        return transport.prepare("POST", USAGE_PATH, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void progress(String what, Load.Outcome o, double rate, String unit, CpuMeter.Usage cpu) {
        OUT.printf(Locale.ROOT, "  %-8s %,10.0f %-10s in %6.2f s, p50 %7.1f ms, p99 %7.1f ms, failed %d%s%n",
                what, rate, unit, o.seconds(), o.latencyMillis(0.5), o.latencyMillis(0.99), o.failed(), cpuText(cpu));
    }

    static String cpuText(CpuMeter.Usage cpu) {
        if (cpu == null) {
            return "";
        }
        return String.format(Locale.ROOT, "; cores busy: %spostgres %.2f, client %.2f, machine %.2f",
                Double.isNaN(cpu.serverCores()) ? "" : String.format(Locale.ROOT, "server %.2f, ", cpu.serverCores()),
                cpu.postgresCores(), cpu.clientCores(), cpu.machineCores());
    }

    // ---------------------------------------------------------------- the collector feed

    /** How long {@link #settle} waits at most for the exports of earlier scenarios. */
    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(10);

    /**
     * Lets the work that earlier scenarios left behind finish before {@code next} starts, outside
     * any measured time: the server exports recorded usage to the billing provider in the
     * background (hundreds of thousands of exports after the batches, which run for minutes), and
     * PostgreSQL writes out what they changed. Without this, a scenario measures part of an earlier
     * one's work, and a latency target measures the overlap.
     */
    private void settle(String next) throws Exception {
        long start = System.nanoTime();
        long due = db.dueExports();
        long first = due;
        while (due > 0 && System.nanoTime() - start < SETTLE_LIMIT.toNanos()) {
            server.requireAlive();
            Thread.sleep(500);
            due = db.dueExports();
        }
        db.checkpoint();
        if (first > 0 || due > 0) {
            OUT.printf("bench: before %s: %s usage exports of earlier scenarios were due; %s after %.1f s%n", next,
                    Result.count(first), due == 0 ? "all sent" : Result.count(due) + " still due",
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private Result drainScenario() throws Exception {
        int n = options.drainEvents();
        int pageSize = options.drainPageSize();
        Result r = new Result("collector drain of " + Result.count(n) + " events", "1 collector",
                "GET page 1 + DELETE page 1, page_size " + Result.count(pageSize), "s", "event",
                new Result.Target(60, false, "< 60 s"));
        OUT.println("bench: " + r.name + ", " + r.work + ", loaded by " + options.drainLoad() + ", "
                + options.drainRepeats() + " runs");
        int warm = Math.min(n, 100_000);
        loadFeed(warm);
        Drained w = drain(warm, pageSize);
        OUT.printf(Locale.ROOT, "  warm-up  %,d events in %.2f s%n", w.collected, w.seconds());
        List<Double> loadSeconds = new ArrayList<>();
        for (int run = 1; run <= options.drainRepeats(); run++) {
            double loaded = loadFeed(n);
            loadSeconds.add(loaded);
            CpuMeter meter = new CpuMeter(server, db);
            meter.start();
            Drained d = drain(n, pageSize);
            CpuMeter.Usage cpu = meter.stop();
            server.requireAlive();
            long left = db.countFeed();
            if (d.failure != null) {
                r.failures++;
                r.remarks.add(d.failure);
            } else if (d.collected != n || d.distinct != n || left != 0) {
                r.failures++;
                r.remarks.add("collected " + d.collected + " (" + d.distinct + " distinct) of " + n + ", " + left + " left");
            }
            r.add(d.seconds(), d.collected / d.seconds(), d.cycleMillis(0.5), d.cycleMillis(0.99), cpu);
            OUT.printf(Locale.ROOT, "  run %d    %,d events in %.2f s (%,.0f events/s; loaded in %.1f s), %d pages, "
                            + "GET p50 %.0f ms, DELETE p50 %.0f ms%s%n",
                    run, d.collected, d.seconds(), d.collected / d.seconds(), loaded, d.pages,
                    percentile(d.getNanos, 0.5) / 1e6, percentile(d.deleteNanos, 0.5) / 1e6, cpuText(cpu));
            if (d.failure != null) {
                OUT.println("  failed: " + d.failure);
            }
        }
        r.remarks.add(String.format(Locale.ROOT, "loading %s events (%s) took %s s per run (median %s s)",
                Result.count(n), options.drainLoad().equals("sql") ? "one SQL statement, then VACUUM (ANALYZE)"
                        : "POST batches of 10,000, " + API_LOAD_CLIENTS + " clients, then VACUUM (ANALYZE)",
                String.join(", ", loadSeconds.stream().map(Result::num).toList()), Result.num(Result.median(loadSeconds))));
        return r;
    }

    /** Empties the feed and fills it with {@code n} events; answers the seconds the filling took. */
    private double loadFeed(int n) throws Exception {
        db.truncateFeed();
        long t0 = System.nanoTime();
        if (options.drainLoad().equals("sql")) {
            db.loadFeed(n, Instant.now().minusSeconds(1), tag + "-" + sequence.incrementAndGet());
        } else {
            List<Transport.Prepared> requests = new ArrayList<>();
            for (int left = n; left > 0; left -= API_LOAD_BATCH) {
                requests.addAll(batches(1, Math.min(API_LOAD_BATCH, left)));
            }
            Load.Outcome o = Load.run(transport, requests, API_LOAD_CLIENTS, options.runLimit());
            if (o.failed() > 0 || o.accepted() != n) {
                throw new IllegalStateException("loading the feed failed: accepted " + o.accepted() + " of " + n
                        + (o.firstFailure() == null ? "" : "; " + o.firstFailure()));
            }
        }
        db.vacuumFeed();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long count = db.countFeed();
        if (count != n) {
            throw new IllegalStateException("the feed holds " + count + " events, expected " + n);
        }
        return seconds;
    }

    private record Drained(long collected, long distinct, int pages, long elapsedNanos, long[] getNanos,
                           long[] deleteNanos, String failure) {
        double seconds() {
            return elapsedNanos / 1e9;
        }

        double cycleMillis(double q) {
            long[] cycle = new long[Math.min(getNanos.length, deleteNanos.length)];
            for (int i = 0; i < cycle.length; i++) {
                cycle[i] = getNanos[i] + deleteNanos[i];
            }
            return percentile(cycle, q) / 1e6;
        }
    }

    /**
     * The collector loop of the spec: fix {@code before}, then GET page 1, keep it, DELETE page 1
     * with the same selector, until a GET answers no items. Bounded in pages and in time.
     */
    private Drained drain(int expected, int pageSize) throws Exception {
        String before = URLEncoder.encode(Instant.now().toString(), StandardCharsets.UTF_8);
        String selector = USAGE_PATH + "?before=" + before + "&page=1&page_size=" + pageSize;
        Transport.Prepared get = transport.prepare("GET", selector, null);
        Transport.Prepared delete = transport.prepare("DELETE", selector, null);
        int maxPages = (int) Math.min(Integer.MAX_VALUE - 1, (long) expected / pageSize * 2 + 10);
        long[] ids = new long[expected + pageSize];
        long[] getNanos = new long[maxPages + 1];
        long[] deleteNanos = new long[maxPages + 1];
        long collected = 0;
        int pages = 0;
        int deletes = 0;
        String failure = null;
        boolean empty = false;
        long start = System.nanoTime();
        long deadline = start + options.runLimit().toNanos();
        try (Transport.Client http = transport.open()) {
        while (pages <= maxPages && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            Transport.Answer page = http.send(get);
            if (page.status() != 200) {
                failure = "GET answered " + page.status() + ": " + Load.snippet(page.body());
                break;
            }
            int items = readIds(page.body(), ids, (int) Math.min(collected, ids.length));
            getNanos[pages++] = System.nanoTime() - t0;
            if (items < 0) {
                failure = "more items than expected";
                break;
            }
            if (items == 0) {
                empty = true;
                break;
            }
            collected += items;
            long t1 = System.nanoTime();
            Transport.Answer deleted = http.send(delete);
            deleteNanos[deletes++] = System.nanoTime() - t1;
            if (deleted.status() != 200) {
                failure = "DELETE answered " + deleted.status() + ": " + Load.snippet(deleted.body());
                break;
            }
            long n = MAPPER.readTree(deleted.body()).path("deleted").asLong(-1);
            if (n != items) {
                failure = "DELETE removed " + n + " records, the page held " + items;
                break;
            }
        }
        }
        long elapsed = System.nanoTime() - start;
        if (failure == null && !empty) {
            failure = "the feed was not empty after " + pages + " pages / " + options.runLimit().toSeconds() + " s";
        }
        int kept = (int) Math.min(collected, ids.length);
        long[] sorted = Arrays.copyOf(ids, kept);
        Arrays.sort(sorted);
        long distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                distinct++;
            }
        }
        // The final, empty GET is part of the loop and of its time; it has no DELETE.
        return new Drained(collected, distinct, pages, elapsed, Arrays.copyOf(getNanos, deletes),
                Arrays.copyOf(deleteNanos, deletes), failure);
    }

    /** Reads a feed page as a collector would, keeping each item's id; answers the item count, or -1 on overflow. */
    private static int readIds(byte[] body, long[] ids, int at) throws IOException {
        int items = 0;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a feed page is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("items")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        p.nextToken();
                        if (key.equals("id")) {
                            if (at + items >= ids.length) {
                                return -1;
                            }
                            ids[at + items] = p.getLongValue();
                        } else {
                            p.skipChildren();
                        }
                    }
                    items++;
                }
            }
        }
        return items;
    }

    static double percentile(long[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i];
    }
}

package fi.hg.bus.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A real peer for multi-window limits: Bucket4j (bucket4j_jdk17-postgresql, select-for-update
 * proxy manager) over a HikariCP pool of the size the Bus server uses, one bucket per account
 * with the three windows of the check scenarios as bandwidths (minute, day, and a 30-day
 * "month", each refilled all at once at the window's boundary), the same accounts count, the
 * same share of accounts whose month is spent, the same quantities and the same client count.
 * Each check is {@code tryConsume(quantity)}: atomically take the quantity from all three
 * bandwidths or refuse, one transaction that locks and rewrites the bucket's row.
 */
final class Bucket4jPeer implements AutoCloseable {

    private static final PrintStream OUT = System.out;

    private final Options options;
    private final BenchDatabase db;
    private final SplittableRandom random = new SplittableRandom(20261123L);
    private HikariDataSource pool;
    private ProxyManager<Long> buckets;
    private BucketProxy[] proxies;
    private String database;

    Bucket4jPeer(Options options, BenchDatabase db) {
        this.options = options;
        this.db = db;
    }

    private void setUp() throws Exception {
        if (buckets != null) {
            return;
        }
        long t0 = System.nanoTime();
        database = db.peerDatabase();
        try (Connection c = db.connectTo(database); Statement s = c.createStatement()) {
            s.execute("create table if not exists bucket (id bigint primary key, state bytea, expires_at bigint)");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl(database));
        config.setUsername(db.user());
        if (db.password() != null) {
            config.setPassword(db.password());
        }
        config.setMaximumPoolSize(options.peerPoolSize());
        config.setMinimumIdle(options.peerPoolSize());
        config.setPoolName("bench-bucket4j");
        pool = new HikariDataSource(config);
        buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(pool).build();
        int n = options.checkAccounts();
        proxies = new BucketProxy[n];
        Instant now = Instant.now();
        Instant nextMinute = now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Instant nextDay = now.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
        Instant nextMonth = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1)
                .atStartOfDay(ZoneOffset.UTC).toInstant();
        for (int i = 0; i < n; i++) {
            // As the check scenarios' counters: a month used 0–1,000,000 (spent for 1 account in 100),
            // some use of the day and of the minute.
            long month = Checks.exhausted(i) ? 0 : Checks.MONTH_LIMIT - random.nextLong(1_000_000);
            long day = Checks.DAY_LIMIT - random.nextLong(100_000);
            long minute = Checks.MINUTE_LIMIT - random.nextLong(10_000);
            BucketConfiguration bucket = BucketConfiguration.builder()
                    .addLimit(Bandwidth.builder().capacity(Checks.MINUTE_LIMIT)
                            .refillIntervallyAligned(Checks.MINUTE_LIMIT, Duration.ofMinutes(1), nextMinute)
                            .initialTokens(minute).id("minute").build())
                    .addLimit(Bandwidth.builder().capacity(Checks.DAY_LIMIT)
                            .refillIntervallyAligned(Checks.DAY_LIMIT, Duration.ofDays(1), nextDay)
                            .initialTokens(day).id("day").build())
                    .addLimit(Bandwidth.builder().capacity(Checks.MONTH_LIMIT)
                            .refillIntervallyAligned(Checks.MONTH_LIMIT, Duration.ofDays(30), nextMonth)
                            .initialTokens(month).id("month").build())
                    .build();
            proxies[i] = buckets.builder().build((long) i, bucket);
        }
        // Every bucket's row exists before the first measured check, as every account's counters do.
        try (ExecutorService threads = Executors.newFixedThreadPool(options.checkClients())) {
            AtomicInteger next = new AtomicInteger();
            Future<?>[] workers = new Future<?>[options.checkClients()];
            for (int c = 0; c < workers.length; c++) {
                workers[c] = threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        proxies[i].getAvailableTokens();
                    }
                    return null;
                });
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
        try (Connection c = db.connectTo(database); Statement s = c.createStatement()) {
            s.execute("vacuum (analyze) bucket");
        }
        OUT.printf(Locale.ROOT, "  set-up: %,d Bucket4j buckets (3 bandwidths each) in %s, pool of %d, in %.1f s%n", n,
                database, options.peerPoolSize(), (System.nanoTime() - t0) / 1e9);
    }

    /** tryConsume of 1–1,000 tokens on a random account's bucket, closed loop. */
    Result scenario() throws Exception {
        int count = options.peerRequests();
        Result r = new Result("Bucket4j 8.18 on PostgreSQL, tryConsume", options.checkClients() + " clients",
                Result.count(count) + " checks, " + Result.count(options.checkAccounts()) + " buckets × 3 bandwidths",
                "checks/s", "check", null);
        r.baseline = true;
        OUT.println("bench: " + r.name + ", " + r.clients + ", " + r.work + ", " + options.repeats() + " runs");
        setUp();
        r.remarks.add("select-for-update proxy manager, HikariCP pool of " + options.peerPoolSize()
                + " (as the server's), " + options.checkClients() + " client threads in the benchmark process");
        long allowed = 0;
        long refused = 0;
        for (int run = 0; run <= options.repeats(); run++) {
            boolean warmUp = run == 0;
            int n = warmUp ? Math.max(100, count / 2) : count;
            int[] account = new int[n];
            int[] quantity = new int[n];
            for (int i = 0; i < n; i++) {
                account[i] = random.nextInt(proxies.length);
                quantity[i] = 1 + random.nextInt(Checks.MAX_QUANTITY);
            }
            LongAdder ok = new LongAdder();
            LongAdder no = new LongAdder();
            AtomicInteger failed = new AtomicInteger();
            AtomicReference<String> firstFailure = new AtomicReference<>();
            long[] latency = new long[n];
            AtomicInteger next = new AtomicInteger();
            CpuMeter meter = new CpuMeter(null, db, database);
            meter.start();
            long start = System.nanoTime();
            long deadline = start + options.runLimit().toNanos();
            try (ExecutorService threads = Executors.newFixedThreadPool(options.checkClients())) {
                for (int c = 0; c < options.checkClients(); c++) {
                    threads.submit(() -> {
                        for (int i = next.getAndIncrement(); i < n && System.nanoTime() < deadline;
                             i = next.getAndIncrement()) {
                            long t0 = System.nanoTime();
                            try {
                                boolean consumed = proxies[account[i]].tryConsume(quantity[i]);
                                latency[i] = System.nanoTime() - t0;
                                if (consumed == Checks.exhausted(account[i])) {
                                    failed.incrementAndGet();
                                    firstFailure.compareAndSet(null, "bucket " + account[i] + " answered "
                                            + consumed + " to " + quantity[i]);
                                }
                                (consumed ? ok : no).increment();
                            } catch (RuntimeException e) {
                                latency[i] = System.nanoTime() - t0;
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, e.toString());
                            }
                        }
                    });
                }
            }
            long elapsed = System.nanoTime() - start;
            CpuMeter.Usage cpu = meter.stop();
            int done = (int) (ok.sum() + no.sum());
            long[] lat = Arrays.copyOf(latency, Math.min(n, Math.max(done, 0)));
            double rate = done / (elapsed / 1e9);
            double p50 = BusBench.percentile(lat, 0.5) / 1e6;
            double p99 = BusBench.percentile(lat, 0.99) / 1e6;
            if (warmUp) {
                OUT.printf(Locale.ROOT, "  warm-up  %,10.0f checks/s   p50 %7.1f ms, p99 %7.1f ms, failed %d%n", rate, p50,
                        p99, failed.get());
                continue;
            }
            if (failed.get() > 0 || done != n) {
                r.failures += Math.max(1, failed.get());
                r.remarks.add("run " + run + ": " + done + " of " + n + " checks answered, " + failed.get()
                        + " failed" + (firstFailure.get() == null ? "" : ", first: " + firstFailure.get()));
            }
            allowed += ok.sum();
            refused += no.sum();
            // The limiter runs in this process: its CPU is the client's column, the server's is empty.
            r.add(rate, rate, p50, p99, cpu);
            OUT.printf(Locale.ROOT, "  run %-4d %,10.0f checks/s   p50 %7.1f ms, p99 %7.1f ms, failed %d%s%n", run, rate,
                    p50, p99, failed.get(), BusBench.cpuText(cpu));
        }
        r.remarks.add(String.format(Locale.ROOT, "answers of the measured runs: %s consumed, %s refused "
                + "(the 1%% of buckets whose month is spent), each as expected for its bucket", Result.count(allowed),
                Result.count(refused)));
        return r;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}

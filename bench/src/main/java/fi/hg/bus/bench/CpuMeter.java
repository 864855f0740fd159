package fi.hg.bus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Where the CPU went during a run, each as average busy cores: the server process (when there is
 * one), the PostgreSQL backends serving one database (from /proc/PID/stat), the client side (this
 * process, plus any tool it started, such as pgbench), and the whole machine (from /proc/stat).
 * What the machine used beyond those is PostgreSQL's background processes plus anything else
 * running on the machine at the time.
 *
 * <p>Backends and tool processes are sampled when the meter starts and stops; without a server
 * process (pgbench, Bucket4j), also every {@value #POLL_MILLIS} ms in between, so that connections
 * that come and go during the run (a pgbench run's) are counted too; such a process's last moments
 * before it exits are missed (at most one poll interval of it). A backend's CPU time is read from
 * /proc/PID/schedstat (nanoseconds; backends are single-threaded), since /proc/PID/stat counts in
 * 10 ms ticks, too coarse for backends that live for a short run.
 */
final class CpuMeter {

    record Usage(double serverCores, double postgresCores, double clientCores, double machineCores) {
    }

    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100 on Linux
    private static final long POLL_MILLIS = 50;

    private final LongSupplier serverCpuNanos;
    private final BenchDatabase db;
    private final String database;
    private final List<Long> tools = new ArrayList<>();
    /** Per backend (or tool) pid: ticks when first seen, and the latest ticks seen. */
    private final Map<Long, long[]> backends = new ConcurrentHashMap<>();
    private final Map<Long, long[]> toolTicks = new ConcurrentHashMap<>();
    private Connection connection;
    private Thread poller;
    private volatile boolean polling;
    private long wall0;
    private long server0;
    private Duration client0;
    private long[] stat0;

    /** The Bus server and its backends in the benchmark database. */
    CpuMeter(ServerProcess server, BenchDatabase db) {
        this(server == null ? null : () -> server.cpu().toNanos(), db, db.name());
    }

    /**
     * @param serverCpuNanos the CPU time of the process under test so far, or null when the work is
     *                       done by PostgreSQL and a client only (pgbench, a library in this process)
     * @param database       the database whose backends count as PostgreSQL's share
     */
    CpuMeter(LongSupplier serverCpuNanos, BenchDatabase db, String database) {
        this.serverCpuNanos = serverCpuNanos;
        this.db = db;
        this.database = database;
    }

    /** Counts process {@code pid} (a tool this benchmark started) as client CPU too. */
    void watch(long pid) {
        tools.add(pid);
        sampleTools();
    }

    void start() {
        try {
            connection = db.connectTo("postgres");
        } catch (SQLException e) {
            connection = null;
        }
        sampleBackends();
        wall0 = System.nanoTime();
        server0 = serverCpuNanos == null ? 0 : serverCpuNanos.getAsLong();
        client0 = clientCpu();
        stat0 = procStat();
        polling = serverCpuNanos == null;
        poller = Thread.ofPlatform().daemon().name("bench-cpu-meter").start(() -> {
            while (polling) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                sampleBackends();
                sampleTools();
            }
        });
    }

    Usage stop() {
        double wall = (System.nanoTime() - wall0) / 1e9;
        double serverCores = serverCpuNanos == null ? Double.NaN
                : (serverCpuNanos.getAsLong() - server0) / 1e9 / wall;
        double clientCores = (clientCpu().toNanos() - client0.toNanos()) / 1e9 / wall;
        long[] stat1 = procStat();
        polling = false;
        poller.interrupt();
        try {
            poller.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampleBackends();
        sampleTools();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a monitoring connection
            }
        }
        double postgres = delta(backends) / 1e9 / wall;
        clientCores += delta(toolTicks) / 1e9 / wall;
        double machine = Double.NaN;
        if (stat0 != null && stat1 != null) {
            double total = stat1[0] - stat0[0];
            double idle = stat1[1] - stat0[1];
            machine = total <= 0 ? Double.NaN : (total - idle) / total * Runtime.getRuntime().availableProcessors();
        }
        return new Usage(serverCores, postgres, clientCores, machine);
    }

    private static long delta(Map<Long, long[]> seen) {
        long ticks = 0;
        for (long[] t : seen.values()) {
            ticks += t[1] - t[0];
        }
        return ticks;
    }

    private void sampleBackends() {
        List<Long> pids = new ArrayList<>(backends.keySet());
        if (connection != null) {
            try (PreparedStatement s = connection.prepareStatement(
                    "select pid from pg_stat_activity where datname = ? and pid <> pg_backend_pid()")) {
                s.setString(1, database);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        if (!pids.contains(r.getLong(1))) {
                            pids.add(r.getLong(1));
                        }
                    }
                }
            } catch (SQLException e) {
                // the monitoring connection broke: keep measuring the backends already known
            }
        }
        // A backend first seen after the start was made during the run: its CPU so far is the run's.
        boolean started = poller != null;
        for (long pid : pids) {
            record(backends, pid, started, schedNanos(pid));
        }
    }

    private void sampleTools() {
        for (long pid : tools) {
            long ticks = ticks(pid);
            record(toolTicks, pid, true, ticks < 0 ? -1 : ticks * NANOS_PER_TICK);
        }
    }

    private static void record(Map<Long, long[]> seen, long pid, boolean newSinceStart, long ticks) {
        if (ticks < 0) {
            return; // gone
        }
        long[] t = seen.get(pid);
        if (t == null) {
            seen.put(pid, new long[]{newSinceStart ? 0 : ticks, ticks});
        } else {
            t[1] = Math.max(t[1], ticks);
        }
    }

    /** CPU nanoseconds of a single-threaded process (from schedstat, else stat), or -1 when it is gone. */
    private static long schedNanos(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/schedstat"));
            return Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            long ticks = ticks(pid);
            return ticks < 0 ? -1 : ticks * NANOS_PER_TICK;
        }
    }

    /** utime + stime of a process (all its threads) in ticks, or -1 when it is gone (or this is not Linux). */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Duration clientCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** {total, idle + iowait} jiffies of all CPUs, or null where /proc/stat is missing. */
    private static long[] procStat() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[]{total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

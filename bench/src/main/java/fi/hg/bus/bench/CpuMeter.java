package fi.hg.bus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the CPU went during a run, each as average busy cores: the server process, the PostgreSQL
 * backends serving the benchmark database (from /proc/PID/stat), this client process, and the
 * whole machine (from /proc/stat). What the machine used beyond those three is PostgreSQL's
 * background processes plus anything else running on the machine at the time.
 */
final class CpuMeter {

    record Usage(double serverCores, double postgresCores, double clientCores, double machineCores) {
        double otherCores() {
            return machineCores - serverCores - postgresCores - clientCores;
        }
    }

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final ServerProcess server;
    private final BenchDatabase db;
    private long wall0;
    private Duration server0;
    private Duration client0;
    private long[] stat0;
    private Map<Long, Long> backends0;

    CpuMeter(ServerProcess server, BenchDatabase db) {
        this.server = server;
        this.db = db;
    }

    void start() {
        backends0 = backendTicks(null);
        wall0 = System.nanoTime();
        server0 = server.cpu();
        client0 = clientCpu();
        stat0 = procStat();
    }

    Usage stop() {
        double wall = (System.nanoTime() - wall0) / 1e9;
        double serverCores = (server.cpu().toNanos() - server0.toNanos()) / 1e9 / wall;
        double clientCores = (clientCpu().toNanos() - client0.toNanos()) / 1e9 / wall;
        long[] stat1 = procStat();
        Map<Long, Long> backends1 = backendTicks(backends0.keySet());
        long ticks = 0;
        for (Map.Entry<Long, Long> e : backends1.entrySet()) {
            ticks += e.getValue() - backends0.getOrDefault(e.getKey(), 0L);
        }
        double postgres = ticks / TICKS_PER_SECOND / wall;
        double machine = Double.NaN;
        if (stat0 != null && stat1 != null) {
            double total = stat1[0] - stat0[0];
            double idle = stat1[1] - stat0[1];
            machine = total <= 0 ? Double.NaN : (total - idle) / total * Runtime.getRuntime().availableProcessors();
        }
        return new Usage(serverCores, postgres, clientCores, machine);
    }

    /** utime + stime of the benchmark database's backends (and of {@code also}, while they live). */
    private Map<Long, Long> backendTicks(java.util.Set<Long> also) {
        Map<Long, Long> ticks = new HashMap<>();
        List<Long> pids;
        try {
            pids = new java.util.ArrayList<>(db.backendPids());
        } catch (SQLException e) {
            return ticks;
        }
        if (also != null) {
            for (Long pid : also) {
                if (!pids.contains(pid)) {
                    pids.add(pid);
                }
            }
        }
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (IOException | RuntimeException e) {
                // gone, or not Linux
            }
        }
        return ticks;
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

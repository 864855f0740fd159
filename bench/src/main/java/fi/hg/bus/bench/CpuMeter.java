package fi.hg.bus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the CPU went during a run: the server process, this client process and the whole machine
 * (from /proc/stat), each as average busy cores. Whatever the machine used beyond the server and
 * the client is PostgreSQL plus anything else running on the machine at the time.
 */
final class CpuMeter {

    record Usage(double serverCores, double clientCores, double machineCores) {
    }

    private final ServerProcess server;
    private long wall0;
    private Duration server0;
    private Duration client0;
    private long[] stat0;

    CpuMeter(ServerProcess server) {
        this.server = server;
    }

    void start() {
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
        double machine = Double.NaN;
        if (stat0 != null && stat1 != null) {
            double total = stat1[0] - stat0[0];
            double idle = stat1[1] - stat0[1];
            machine = total <= 0 ? Double.NaN : (total - idle) / total * Runtime.getRuntime().availableProcessors();
        }
        return new Usage(serverCores, clientCores, machine);
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

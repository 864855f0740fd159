package fi.hg.bus.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baselines PostgreSQL itself sets, measured with pgbench on the same server in the same run:
 * the raw insert rate of rows of the shape of {@code usage_events} + {@code usage_event_keys}
 * (batches and single rows, same client counts as the Bus scenarios), and the select-only rate
 * ({@code pgbench -S}) on a pgbench-initialised scratch database.
 */
final class Pgbench {

    private static final PrintStream OUT = System.out;
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    private final Options options;
    private final BenchDatabase db;
    private final String[] accounts = new String[100];
    private boolean usageTables;
    private boolean initialised;

    Pgbench(Options options, BenchDatabase db) {
        this.options = options;
        this.db = db;
        for (int i = 0; i < accounts.length; i++) {
            accounts[i] = UUID.randomUUID().toString();
        }
    }

    /** pgbench's version line, or why it cannot run. */
    String version() {
        try {
            Process p = new ProcessBuilder(options.pgbench(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "not found (" + options.pgbench() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    // ---------------------------------------------------------------- inserts

    /**
     * INSERT of {@code rows} rows per transaction into tables of the shape of usage_events and
     * usage_event_keys, {@code clients} clients, {@code transactions} transactions per run in all.
     */
    Result insert(String name, int rows, int clients, int transactions, String unit, String perUnit) throws Exception {
        if (!usageTables) {
            db.createPeerUsageTables();
            usageTables = true;
        }
        Path script = options.resultsDir().resolve("pgbench-insert-" + rows + ".pgbench");
        Files.writeString(script, insertScript(rows), StandardCharsets.UTF_8);
        int perClient = Math.max(1, (transactions + clients - 1) / clients);
        Result r = new Result(name, clients + " clients",
                Result.count((long) perClient * clients) + " transactions of " + Result.count(rows)
                        + (rows == 1 ? " row" : " rows") + " (both tables)", unit, perUnit, null);
        r.baseline = true;
        return measure(r, db.name(), List.of("-n", "-M", "prepared", "-f", script.toString()), clients, perClient,
                rows, Math.max(1, perClient / 2));
    }

    /**
     * One statement, one transaction: {@code rows} rows into each table, shaped as the Bus server
     * writes them (a fresh event id per row, one of 100 accounts, a usage object of about 90 bytes
     * of JSON), sent by the client as arrays, as the server sends its rows.
     */
    private String insertScript(int rows) {
        StringBuilder acc = new StringBuilder("{");
        StringBuilder data = new StringBuilder("{");
        for (int i = 0; i < rows; i++) {
            int in = (i * 37) % 3000;
            int out = (i * 11) % 700;
            acc.append(i == 0 ? "" : ",").append(accounts[i % accounts.length]);
            data.append(i == 0 ? "" : ",").append("\"{\\\"model\\\":\\\"bench-model\\\",\\\"input_tokens\\\":").append(in)
                    .append(",\\\"output_tokens\\\":").append(out).append(",\\\"total_tokens\\\":").append(in + out)
                    .append("}\"");
        }
        acc.append('}');
        data.append('}');
        return """
                \\set r random(1, 1000000000000000)
                with input as (
                    select 'pgb-' || cast(:client_id as text) || '-' || cast(:r as text) || '-' || t.ord as event_id,
                           t.account_id, t.data
                    from unnest('%s'::text[],
                                '%s'::text[]) with ordinality as t(account_id, data, ord)
                ), keys as (
                    insert into peer.usage_event_keys (event_id, first_seen_at)
                    select event_id, now() from input
                    on conflict do nothing
                )
                insert into peer.usage_events (event_id, event_type, account_id, occurred_at, data)
                select event_id, 'usage_recorded', account_id::uuid, now(), data::json from input;
                """.formatted(acc, data);
    }

    // ---------------------------------------------------------------- select-only

    /** {@code pgbench -S}: one primary-key SELECT per transaction on pgbench_accounts. */
    Result selectOnly(int clients, int transactions) throws Exception {
        String peer = db.peerDatabase();
        if (!initialised) {
            long t0 = System.nanoTime();
            run(peer, List.of("-i", "-q", "-s", String.valueOf(options.pgbenchScale())), null, "pgbench -i");
            OUT.printf(Locale.ROOT, "  pgbench -i -s %d on %s in %.1f s%n", options.pgbenchScale(), peer,
                    (System.nanoTime() - t0) / 1e9);
            initialised = true;
        }
        int perClient = Math.max(1, (transactions + clients - 1) / clients);
        Result r = new Result("pgbench -S (select-only)", clients + " clients",
                Result.count((long) perClient * clients) + " SELECTs by primary key, "
                        + Result.count(options.pgbenchScale() * 100_000L) + " rows", "transactions/s", "transaction",
                null);
        r.baseline = true;
        r.remarks.add("pgbench_accounts of scale " + options.pgbenchScale() + " in a scratch database, "
                + "-M prepared, " + threads(clients) + " pgbench threads");
        return measure(r, peer, List.of("-n", "-S", "-M", "prepared"), clients, perClient, 1,
                Math.max(1, perClient / 2));
    }

    // ---------------------------------------------------------------- running pgbench

    private int threads(int clients) {
        return Math.max(1, Math.min(clients, Runtime.getRuntime().availableProcessors()));
    }

    private Result measure(Result r, String database, List<String> mode, int clients, int perClient, int rowsPerTx,
                           int warmPerClient) throws Exception {
        OUT.println("bench: " + r.name + ", " + r.clients + ", " + r.work + ", " + options.repeats() + " runs");
        for (int run = 0; run <= options.repeats(); run++) {
            boolean warmUp = run == 0;
            List<String> args = new ArrayList<>(mode);
            args.addAll(List.of("-c", String.valueOf(clients), "-j", String.valueOf(threads(clients)),
                    "-t", String.valueOf(warmUp ? warmPerClient : perClient)));
            Path logs = Files.createTempDirectory(options.resultsDir(), "pgbench-log-");
            args.addAll(List.of("-l", "--log-prefix=" + logs.resolve("tx")));
            CpuMeter meter = new CpuMeter(null, db, database);
            meter.start();
            Run out;
            try {
                out = run(database, args, meter, r.name);
            } catch (Exception e) {
                meter.stop();
                throw e;
            }
            CpuMeter.Usage cpu = meter.stop();
            long[] latency = latencies(logs);
            deleteTree(logs);
            Matcher m = TPS.matcher(out.output);
            if (!m.find()) {
                throw new IllegalStateException(r.name + ": no tps in pgbench's output:\n" + out.output);
            }
            double tps = Double.parseDouble(m.group(1));
            double rate = tps * rowsPerTx;
            long expected = (long) clients * (warmUp ? warmPerClient : perClient);
            double p50 = BusBench.percentile(latency, 0.5) / 1e3;
            double p99 = BusBench.percentile(latency, 0.99) / 1e3;
            if (warmUp) {
                OUT.printf(Locale.ROOT, "  warm-up  %,10.0f %-10s p50 %7.1f ms, p99 %7.1f ms%n", rate, r.unit, p50, p99);
                continue;
            }
            if (latency.length != expected) {
                r.failures++;
                r.remarks.add("run " + run + ": pgbench logged " + latency.length + " of " + expected + " transactions");
            }
            r.add(rate, rate, p50, p99, cpu);
            OUT.printf(Locale.ROOT, "  run %-4d %,10.0f %-10s p50 %7.1f ms, p99 %7.1f ms%s%n", run, rate, r.unit, p50, p99,
                    BusBench.cpuText(cpu));
        }
        return r;
    }

    private record Run(String output) {
    }

    private Run run(String database, List<String> args, CpuMeter meter, String what) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(options.pgbench());
        command.addAll(List.of("-h", options.pgHost(), "-p", String.valueOf(options.pgPort()), "-U", options.pgUser()));
        command.addAll(args);
        command.add(database);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PGAPPNAME", "bus-bench-pgbench");
        pb.environment().put("PGSSLMODE", "disable");
        if (db.password() != null) {
            pb.environment().put("PGPASSWORD", db.password());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + options.pgbench() + " (" + e.getMessage()
                    + "); install it (Debian ships it with the server package, e.g. postgresql-15) "
                    + "or give --pgbench PATH, or leave the baselines out with --no-baselines", e);
        }
        if (meter != null) {
            meter.watch(p.pid());
        }
        // Read the output while it runs (pgbench writes little, but a full pipe would stall it).
        byte[] output = p.getInputStream().readAllBytes();
        boolean done = p.waitFor(options.runLimit().toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
            throw new IllegalStateException(what + ": pgbench did not finish within " + options.runLimit().toSeconds() + " s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(what + ": pgbench exited with " + p.exitValue() + ":\n" + text);
        }
        return new Run(text);
    }

    /** Every transaction's latency in microseconds, from pgbench's per-transaction logs (3rd field). */
    private static long[] latencies(Path dir) throws IOException {
        List<Long> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                for (String line : Files.readAllLines(f)) {
                    String[] fields = line.split(" ");
                    if (fields.length >= 3) {
                        all.add(Long.parseLong(fields[2]));
                    }
                }
            }
        }
        return all.stream().mapToLong(Long::longValue).toArray();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}

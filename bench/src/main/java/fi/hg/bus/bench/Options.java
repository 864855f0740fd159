package fi.hg.bus.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The command line of the benchmark; every default is the documented benchmark. */
record Options(Path root, Path jar, Path resultsDir, String pgHost, int pgPort, String pgUser,
               int repeats, int drainRepeats,
               int batchClients, int batchSize, int batchRequests,
               int singleClients, int singleRequests,
               int drainEvents, int drainPageSize, String drainLoad,
               Set<String> scenarios, String client, List<String> serverJvmOptions, boolean jfr,
               Duration runLimit, String note, boolean writeDoc) {

    static final String USAGE = """
            usage: bench/run [options]
              --scenarios LIST        batch,single,drain (default: all three)
              --repeats N             measured runs of the batch and single scenarios (default 5)
              --drain-repeats N       measured runs of the 1M drain (default 5)
              --batch-clients N       concurrent clients posting batches (default 16)
              --batch-size N          records per batch (default 1000)
              --batch-requests N      batches per run (default 100)
              --single-clients N      concurrent clients posting single records (default 32)
              --single-requests N     requests per run (default 10000)
              --drain-events N        events to drain (default 1000000)
              --drain-page-size N     collector page size (default 10000)
              --drain-load sql|api    how the events to drain are loaded (default sql)
              --client raw|jdk        the HTTP client: raw (a minimal HTTP/1.1 client, default) or jdk
                                      (java.net.http.HttpClient, which costs several times more CPU)
              --server-jvm-options S  extra JVM options of the server, space-separated
              --jfr                   record the server with JFR into bench/results/server-<ts>.jfr
              --run-limit SECONDS     time limit of any one run (default 300)
              --pg-host H --pg-port P --pg-user U   the PostgreSQL server (default 127.0.0.1 5432 postgres;
                                      loopback only; PGPASSWORD is used when set)
              --note TEXT             a remark written into docs/benchmarks.md
              --no-doc                print the table only; leave docs/benchmarks.md alone
              --root DIR              the repository root (default: the current directory)
              --jar FILE              the server jar (default: ROOT/app/target/bus.jar)
            """;

    static Options parse(String[] args) {
        Path root = Path.of("").toAbsolutePath();
        Path jar = null;
        String pgHost = "127.0.0.1";
        int pgPort = 5432;
        String pgUser = "postgres";
        int repeats = 5;
        int drainRepeats = 5;
        int batchClients = 16;
        int batchSize = 1000;
        int batchRequests = 100;
        int singleClients = 32;
        int singleRequests = 10_000;
        int drainEvents = 1_000_000;
        int drainPageSize = 10_000;
        String drainLoad = "sql";
        Set<String> scenarios = new LinkedHashSet<>(List.of("batch", "single", "drain"));
        String client = "raw";
        List<String> jvm = new ArrayList<>();
        boolean jfr = false;
        Duration runLimit = Duration.ofSeconds(300);
        String note = null;
        boolean writeDoc = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> throw new UsageException(null);
                case "--root" -> root = Path.of(value(args, ++i, a)).toAbsolutePath().normalize();
                case "--jar" -> jar = Path.of(value(args, ++i, a)).toAbsolutePath().normalize();
                case "--pg-host" -> pgHost = value(args, ++i, a);
                case "--pg-port" -> pgPort = positive(args, ++i, a, 65535);
                case "--pg-user" -> pgUser = value(args, ++i, a);
                case "--repeats" -> repeats = positive(args, ++i, a, 100);
                case "--drain-repeats" -> drainRepeats = positive(args, ++i, a, 100);
                case "--batch-clients" -> batchClients = positive(args, ++i, a, 1024);
                case "--batch-size" -> batchSize = positive(args, ++i, a, 10_000);
                case "--batch-requests" -> batchRequests = positive(args, ++i, a, 1_000_000);
                case "--single-clients" -> singleClients = positive(args, ++i, a, 1024);
                case "--single-requests" -> singleRequests = positive(args, ++i, a, 10_000_000);
                case "--drain-events" -> drainEvents = positive(args, ++i, a, 100_000_000);
                case "--drain-page-size" -> drainPageSize = positive(args, ++i, a, 10_000);
                case "--drain-load" -> {
                    drainLoad = value(args, ++i, a);
                    if (!drainLoad.equals("sql") && !drainLoad.equals("api")) {
                        throw new UsageException("--drain-load must be sql or api");
                    }
                }
                case "--client" -> {
                    client = value(args, ++i, a);
                    if (!client.equals("raw") && !client.equals("jdk")) {
                        throw new UsageException("--client must be raw or jdk");
                    }
                }
                case "--scenarios" -> {
                    scenarios = new LinkedHashSet<>();
                    for (String s : value(args, ++i, a).split(",")) {
                        String name = s.strip();
                        if (!Set.of("batch", "single", "drain").contains(name)) {
                            throw new UsageException("unknown scenario " + name + " (batch, single, drain)");
                        }
                        scenarios.add(name);
                    }
                }
                case "--server-jvm-options" -> {
                    for (String o : value(args, ++i, a).trim().split("\\s+")) {
                        if (!o.isEmpty()) {
                            jvm.add(o);
                        }
                    }
                }
                case "--jfr" -> jfr = true;
                case "--run-limit" -> runLimit = Duration.ofSeconds(positive(args, ++i, a, 3600));
                case "--note" -> note = value(args, ++i, a);
                case "--no-doc" -> writeDoc = false;
                default -> throw new UsageException("unknown option " + a);
            }
        }
        requireLoopback(pgHost);
        if (jar == null) {
            jar = root.resolve("app/target/bus.jar");
        }
        return new Options(root, jar, root.resolve("bench/results"), pgHost, pgPort, pgUser, repeats, drainRepeats,
                batchClients, batchSize, batchRequests, singleClients, singleRequests, drainEvents, drainPageSize,
                drainLoad, Set.copyOf(scenarios), client, List.copyOf(jvm), jfr, runLimit, note, writeDoc);
    }

    /** The benchmark only ever talks to this machine. */
    static void requireLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    throw new UsageException("--pg-host must be a loopback address (127.0.0.0/8 or ::1), not " + host);
                }
            }
        } catch (UnknownHostException e) {
            throw new UsageException("--pg-host " + host + " is unknown");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String[] args, int i, String option, int max) {
        String text = value(args, i, option);
        try {
            int v = Integer.parseInt(text);
            if (v < 1 || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number from 1 to " + max);
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}

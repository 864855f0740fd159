package fi.hg.bus.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line of the benchmark; every default is the documented benchmark. */
record Options(Path root, Path jar, Path resultsDir, String pgHost, int pgPort, String pgUser,
               int repeats, int drainRepeats,
               int batchClients, int batchSize, int batchRequests,
               int singleClients, int singleRequests,
               int drainEvents, int drainPageSize, String drainLoad,
               int checkClients, int checkRequests, int checkRate, int reserveRequests, int checkAccounts,
               int historyMinutes, int dashboardClients, int dashboardRequests,
               Set<String> scenarios, String client, List<String> serverJvmOptions, boolean jfr,
               Duration runLimit, String note, boolean writeDoc, Path docFile, boolean quick, boolean baselines,
               String pgbench, int pgbenchScale, int peerPoolSize, int peerRequests) {

    /** Every scenario, in the order they run. */
    static final List<String> SCENARIOS = List.of("batch", "single", "drain", "check", "paced", "reserve", "dashboard",
            "cli");

    /** Names for several scenarios at once. */
    static final Map<String, List<String>> GROUPS = Map.of(
            "all", SCENARIOS,
            "usage", List.of("batch", "single"),
            "checks", List.of("check", "paced", "reserve"));

    /** What the server's database pool holds by default (BUS_DATABASE_POOL_SIZE): Bucket4j's pool gets as many. */
    static final int SERVER_POOL_SIZE = 16;

    /** Whether every scenario runs (only then is docs/benchmarks.md written, unless --doc says so). */
    boolean allScenarios() {
        return scenarios.containsAll(SCENARIOS);
    }

    boolean any(String... names) {
        for (String n : names) {
            if (scenarios.contains(n)) {
                return true;
            }
        }
        return false;
    }

    static final String USAGE = """
            usage: bench/run [options]
              --only LIST             the scenarios to run, comma-separated (default: all): batch, single,
                                      drain, check, paced, reserve, dashboard, cli, or the groups usage
                                      (batch,single), checks (check,paced,reserve) and all; --scenarios is the
                                      same. Each runs with its baselines. A subset prints its table and leaves
                                      docs/benchmarks.md alone unless --doc
              --quick                 a check of the benchmark itself, not a measurement: small sizes, one
                                      measured run each, and docs/benchmarks.md left alone unless --doc(-file)
              --no-baselines          leave out pgbench and Bucket4j (java -version, the CLI's floor, always runs)
              --repeats N             measured runs of every scenario but the drain (default 5)
              --drain-repeats N       measured runs of the 1M drain (default 3)
              --batch-clients N       concurrent clients posting batches (default 16)
              --batch-size N          records per batch (default 1000)
              --batch-requests N      batches per run (default 100)
              --single-clients N      concurrent clients posting single records (default 32)
              --single-requests N     requests per run (default 10000)
              --drain-events N        events to drain (default 1000000)
              --drain-page-size N     collector page size (default 10000)
              --drain-load sql|api    how the events to drain are loaded (default sql)
              --check-clients N       concurrent clients of the entitlement-check scenarios (default 32)
              --check-requests N      checks per run without reservation (default 50000)
              --check-rate N          checks per second sent by the paced scenario (default 5000)
              --reserve-requests N    checks per run with a reservation (default 20000)
              --accounts N            active accounts the checks pick from at random (default 10000)
              --history-minutes N     minute counters of the past kept per account, as a busy server
                                      holds them (default 60; 0 for none)
              --dashboard-clients N   concurrent clients of the dashboard scenario (default 32)
              --dashboard-requests N  dashboard GETs per run (default 50000)
              --pgbench PATH          pgbench (default /usr/bin/pgbench, else pgbench on PATH)
              --pgbench-scale N       scale of the pgbench -S scratch database (default 1: 100,000 accounts)
              --peer-requests N       Bucket4j tryConsume calls per run (default 20000)
              --peer-pool N           Bucket4j's JDBC pool (default 16, the server's BUS_DATABASE_POOL_SIZE)
              --client raw|jdk        the HTTP client: raw (a minimal HTTP/1.1 client, default) or jdk
                                      (java.net.http.HttpClient, which costs several times more CPU)
              --server-jvm-options S  extra JVM options of the server, space-separated
              --jfr                   record the server with JFR into bench/results/server-<ts>.jfr
              --run-limit SECONDS     time limit of any one run (default 300)
              --pg-host H --pg-port P --pg-user U   the PostgreSQL server (default 127.0.0.1 5432 postgres;
                                      loopback only; PGPASSWORD is used when set)
              --note TEXT             a remark written into docs/benchmarks.md
              --no-doc                print the table only; leave docs/benchmarks.md alone
              --doc                   write docs/benchmarks.md even when only some scenarios ran
              --doc-file FILE         write the page to FILE instead of docs/benchmarks.md (implies --doc)
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
        int drainRepeats = 3;
        int batchClients = 16;
        int batchSize = 1000;
        int batchRequests = 100;
        int singleClients = 32;
        int singleRequests = 10_000;
        int drainEvents = 1_000_000;
        int drainPageSize = 10_000;
        String drainLoad = "sql";
        int checkClients = 32;
        int checkRequests = 50_000;
        int checkRate = 5_000;
        int reserveRequests = 20_000;
        int checkAccounts = 10_000;
        int historyMinutes = 60;
        int dashboardClients = 32;
        int dashboardRequests = 50_000;
        Set<String> scenarios = new LinkedHashSet<>(SCENARIOS);
        String client = "raw";
        List<String> jvm = new ArrayList<>();
        boolean jfr = false;
        Duration runLimit = Duration.ofSeconds(300);
        String note = null;
        Boolean writeDoc = null;
        Path docFile = null;
        boolean quick = false;
        boolean baselines = true;
        String pgbench = Files.isExecutable(Path.of("/usr/bin/pgbench")) ? "/usr/bin/pgbench" : "pgbench";
        int pgbenchScale = 1;
        int peerPoolSize = SERVER_POOL_SIZE;
        int peerRequests = 20_000;
        Set<String> given = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            given.add(a);
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
                case "--check-clients" -> checkClients = positive(args, ++i, a, 1024);
                case "--check-requests" -> checkRequests = positive(args, ++i, a, 10_000_000);
                case "--check-rate" -> checkRate = positive(args, ++i, a, 1_000_000);
                case "--reserve-requests" -> reserveRequests = positive(args, ++i, a, 10_000_000);
                case "--accounts" -> checkAccounts = positive(args, ++i, a, 1_000_000);
                case "--history-minutes" -> historyMinutes = positive(args, ++i, a, 1440, 0);
                case "--dashboard-clients" -> dashboardClients = positive(args, ++i, a, 1024);
                case "--dashboard-requests" -> dashboardRequests = positive(args, ++i, a, 10_000_000);
                case "--only", "--scenarios" -> {
                    Set<String> chosen = new LinkedHashSet<>();
                    for (String s : value(args, ++i, a).split(",")) {
                        String name = s.strip();
                        if (GROUPS.containsKey(name)) {
                            chosen.addAll(GROUPS.get(name));
                        } else if (SCENARIOS.contains(name)) {
                            chosen.add(name);
                        } else {
                            throw new UsageException("unknown scenario " + name + " (" + String.join(", ", SCENARIOS)
                                    + ", usage, checks, all)");
                        }
                    }
                    // Always in the documented order, whatever order they were named in.
                    scenarios = new LinkedHashSet<>(SCENARIOS);
                    scenarios.retainAll(chosen);
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
                case "--doc" -> writeDoc = true;
                case "--doc-file" -> {
                    docFile = Path.of(value(args, ++i, a)).toAbsolutePath().normalize();
                    writeDoc = true;
                }
                case "--quick" -> quick = true;
                case "--no-baselines" -> baselines = false;
                case "--pgbench" -> pgbench = value(args, ++i, a);
                case "--pgbench-scale" -> pgbenchScale = positive(args, ++i, a, 1000);
                case "--peer-pool" -> peerPoolSize = positive(args, ++i, a, 1024);
                case "--peer-requests" -> peerRequests = positive(args, ++i, a, 10_000_000);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        requireLoopback(pgHost);
        if (jar == null) {
            jar = root.resolve("app/target/bus.jar");
        }
        if (quick) {
            // Small sizes and one run, unless named explicitly: enough to see every part work.
            repeats = given.contains("--repeats") ? repeats : 1;
            drainRepeats = given.contains("--drain-repeats") ? drainRepeats : 1;
            batchRequests = given.contains("--batch-requests") ? batchRequests : 10;
            singleRequests = given.contains("--single-requests") ? singleRequests : 500;
            drainEvents = given.contains("--drain-events") ? drainEvents : 20_000;
            checkRequests = given.contains("--check-requests") ? checkRequests : 2_000;
            reserveRequests = given.contains("--reserve-requests") ? reserveRequests : 500;
            checkAccounts = given.contains("--accounts") ? checkAccounts : 500;
            historyMinutes = given.contains("--history-minutes") ? historyMinutes : 5;
            dashboardRequests = given.contains("--dashboard-requests") ? dashboardRequests : 2_000;
            peerRequests = given.contains("--peer-requests") ? peerRequests : 500;
            runLimit = given.contains("--run-limit") ? runLimit : Duration.ofSeconds(60);
        }
        return new Options(root, jar, root.resolve("bench/results"), pgHost, pgPort, pgUser, repeats, drainRepeats,
                batchClients, batchSize, batchRequests, singleClients, singleRequests, drainEvents, drainPageSize,
                drainLoad, checkClients, checkRequests, checkRate, reserveRequests, checkAccounts, historyMinutes,
                dashboardClients, dashboardRequests,
                java.util.Collections.unmodifiableSet(scenarios), client, List.copyOf(jvm), jfr, runLimit, note,
                writeDoc != null ? writeDoc : !quick && scenarios.containsAll(SCENARIOS),
                docFile != null ? docFile : root.resolve("docs/benchmarks.md"), quick, baselines, pgbench,
                pgbenchScale, peerPoolSize, peerRequests);
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
        return positive(args, i, option, max, 1);
    }

    private static int positive(String[] args, int i, String option, int max, int min) {
        String text = value(args, i, option);
        try {
            int v = Integer.parseInt(text);
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number from " + min + " to " + max);
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}

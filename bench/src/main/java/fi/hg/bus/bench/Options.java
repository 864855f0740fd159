package fi.hg.bus.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
               Duration runLimit, String note, boolean writeDoc) {

    /** Every scenario, in the order they run. */
    static final List<String> SCENARIOS = List.of("batch", "single", "drain", "check", "paced", "reserve", "dashboard");

    /** Names for several scenarios at once. */
    static final Map<String, List<String>> GROUPS = Map.of(
            "all", SCENARIOS,
            "usage", List.of("batch", "single"),
            "checks", List.of("check", "paced", "reserve"));

    /** Whether every scenario runs (only then is docs/benchmarks.md written, unless --doc says so). */
    boolean allScenarios() {
        return scenarios.containsAll(SCENARIOS);
    }

    static final String USAGE = """
            usage: bench/run [options]
              --only LIST             the scenarios to run, comma-separated (default: all): batch, single,
                                      drain, check, paced, reserve, dashboard, or the groups usage (batch,single),
                                      checks (check,paced,reserve) and all; --scenarios is the same. A subset
                                      prints its table and leaves docs/benchmarks.md alone unless --doc
              --repeats N             measured runs of every scenario but the drain (default 5)
              --drain-repeats N       measured runs of the 1M drain (default 5)
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
                default -> throw new UsageException("unknown option " + a);
            }
        }
        requireLoopback(pgHost);
        if (jar == null) {
            jar = root.resolve("app/target/bus.jar");
        }
        return new Options(root, jar, root.resolve("bench/results"), pgHost, pgPort, pgUser, repeats, drainRepeats,
                batchClients, batchSize, batchRequests, singleClients, singleRequests, drainEvents, drainPageSize,
                drainLoad, checkClients, checkRequests, checkRate, reserveRequests, checkAccounts, historyMinutes,
                dashboardClients, dashboardRequests,
                java.util.Collections.unmodifiableSet(scenarios), client, List.copyOf(jvm), jfr, runLimit, note,
                writeDoc != null ? writeDoc : scenarios.containsAll(SCENARIOS));
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

package fi.hg.bus.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The table on the console and docs/benchmarks.md. */
final class Report {

    /** Text below this line in docs/benchmarks.md is written by people and kept across runs. */
    static final String KEEP_MARKER = "<!-- bench/run rewrites everything above this line and keeps everything below it. -->";

    private static final String[] HEADER = {"scenario", "clients", "work per run", "median", "min–max", "unit",
            "p50 ms", "p99 ms", "vs baseline (same run)", "target", "met", "CPU µs per unit: server / postgres",
            "cores: server / postgres / client / machine"};

    private Report() {
    }

    private static List<String[]> rows(List<Result> results) {
        List<String[]> rows = new ArrayList<>();
        for (Result r : results) {
            boolean cpu = !r.cpu.isEmpty();
            rows.add(new String[]{(r.baseline ? "baseline: " : "") + r.name, r.clients, r.work, Result.num(r.median()),
                    Result.num(r.min()) + "–" + Result.num(r.max()), r.unit,
                    Result.num(Result.median(r.p50)), Result.num(Result.median(r.p99)), r.versus(),
                    r.target == null ? "none" : r.target.text(), r.verdict(),
                    !cpu ? "–" : Result.num(Result.median(r.serverMicros)) + " / "
                            + Result.num(Result.median(r.postgresMicros)) + " per " + r.perUnit,
                    !cpu ? "–" : Result.num(r.medianServerCores()) + " / " + Result.num(r.medianPostgresCores()) + " / "
                            + Result.num(r.medianClientCores()) + " / " + Result.num(r.medianMachineCores())});
        }
        return rows;
    }

    static String consoleTable(List<Result> results) {
        List<String[]> rows = rows(results);
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            width[i] = HEADER[i].length();
            for (String[] row : rows) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, HEADER, width);
        String[] rule = new String[HEADER.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        line(sb, rule, width);
        for (String[] row : rows) {
            line(sb, row, width);
        }
        for (Result r : results) {
            sb.append(r.name).append(": runs ").append(r.valuesText()).append(' ').append(r.unit).append('\n');
            for (String remark : r.remarks) {
                sb.append("  ").append(remark).append('\n');
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            sb.append(i == 0 ? "" : "  ").append(cells[i]).append(" ".repeat(width[i] - cells[i].length()));
        }
        sb.append('\n');
    }

    private static String markdownTable(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
        sb.append("|").append(" --- |".repeat(HEADER.length)).append('\n');
        for (String[] row : rows(results)) {
            sb.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return sb.toString();
    }

    static void writeDoc(Path doc, Options o, Machine m, String pgVersion, String pgSettings, String pgbenchVersion,
                         String loadAfter, List<Result> results, Instant started, Instant finished) throws IOException {
        String kept = "\n## Notes\n\n(Written by hand; kept when bench/run rewrites the part above.)\n";
        if (Files.exists(doc)) {
            String old = Files.readString(doc, StandardCharsets.UTF_8);
            int at = old.indexOf(KEEP_MARKER);
            if (at >= 0) {
                kept = old.substring(at + KEEP_MARKER.length());
            }
        }
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder();
        sb.append("# Benchmarks\n\n");
        sb.append("Performance is measured here, by `bench/run`, never by timed unit tests. This page is written by\n")
                .append("`bench/run`; the section under the marker at the end is written by people and kept.\n\n");
        sb.append("Last run: ").append(f.format(started)).append(" to ").append(f.format(finished))
                .append(" (").append(Duration.between(started, finished).toMinutes()).append(" min).\n");
        if (o.quick()) {
            sb.append("\n> **A quick check (`--quick`), not a measurement**: small sizes and one run per scenario.\n");
        }
        if (!o.allScenarios()) {
            sb.append("\n> Only some scenarios ran (`--only`): ").append(String.join(", ", o.scenarios())).append(".\n");
        }
        if (o.note() != null) {
            sb.append("\n> ").append(o.note().replace("\n", "\n> ")).append('\n');
        }
        sb.append("\n## Machine\n\n");
        sb.append("| | |\n| --- | --- |\n");
        sb.append("| CPU | ").append(m.cpuModel()).append(" |\n");
        sb.append("| `nproc` | ").append(m.nproc()).append(" |\n");
        sb.append("| memory | ").append(m.memory()).append(" |\n");
        sb.append("| OS | ").append(m.kernel()).append(" |\n");
        sb.append("| JDK (server and client) | ").append(m.jdk()).append(" |\n");
        sb.append("| PostgreSQL | ").append(pgVersion).append(", on ").append(o.pgHost()).append(':').append(o.pgPort())
                .append(" |\n");
        sb.append("| PostgreSQL settings | ").append(pgSettings).append(" |\n");
        if (pgbenchVersion != null) {
            sb.append("| pgbench | ").append(pgbenchVersion).append(" (").append(o.pgbench()).append(") |\n");
        }
        sb.append("| load average before (1, 5, 15 min) | ").append(m.loadAverage()).append(" |\n");
        sb.append("| load average after (1, 5, 15 min) | ").append(loadAfter).append(" |\n");
        sb.append("\nThe server, the benchmark client and PostgreSQL share these cores; on a shared machine other\n")
                .append("work competes too (the *machine cores* column shows how busy the whole machine was).\n");
        sb.append("\n## Method\n\n");
        sb.append("- `bench/run` builds `app/target/bus.jar` and the benchmark module (`bench/`, not part of the normal\n")
                .append("  build), creates a fresh database `bus_bench_<random>` on the PostgreSQL server, starts\n")
                .append("  `java -jar app/target/bus.jar serve --addr 127.0.0.1:<free port>` as a separate process (through\n")
                .append("  a link named `bench/results/bench-server.jar`, so that someone's `pkill -f bus.jar` on a shared\n")
                .append("  machine leaves it alone) with `BUS_DATABASE_URL`, `BUS_AUTH_HS256_SECRET` and\n")
                .append("  `BUS_STORE=postgres`, the JVM's and the server's default settings (database pool of 16), and\n")
                .append("  drops the database at the end.\n");
        sb.append("- Client: ").append(o.client().equals("raw")
                        ? "a minimal HTTP/1.1 client in the benchmark (one keep-alive socket per client; it costs far\n"
                        + "  less CPU than `java.net.http.HttpClient`, which matters when client and server share two cores;\n"
                        + "  `--client jdk` uses the JDK client instead)"
                        : "the JDK `java.net.http.HttpClient` (HTTP/1.1, keep-alive)")
                .append(", with one virtual thread per client; each client sends\n")
                .append("  its next request when the previous one is answered (closed loop). Requests carry an\n")
                .append("  internal-audience HS256 token, verified by the server on every request.\n");
        boolean usage = o.scenarios().contains("batch") || o.scenarios().contains("single");
        boolean checks = o.scenarios().contains("check") || o.scenarios().contains("paced")
                || o.scenarios().contains("reserve");
        if (usage) {
            sb.append("- Every record is `usage_recorded` with a fresh `event_id` (so every record goes through\n")
                    .append("  deduplication), one of 100 `account_id`s, `occurred_at` and a small `data` object; about 200\n")
                    .append("  bytes of JSON. Request bodies are prepared before the clock starts. Every answer must be 200\n")
                    .append("  and the `accepted` counts must add up to every record sent, or the run counts as failed.\n");
        }
        sb.append("- Each scenario first runs a warm-up (half a run").append(o.scenarios().contains("drain")
                        ? "; 100,000 events for the drain" : "").append("), which is not\n")
                .append("  counted, then ").append(o.repeats()).append(" measured runs")
                .append(o.scenarios().contains("drain") ? " (" + o.drainRepeats() + " for the drain)" : "")
                .append(". The table gives the median, and the\n")
                .append("  spread as the minimum and maximum of the runs. Targets are judged on the median")
                .append(checks ? " (of the\n  throughput, and of the runs' p99 where the target names one)" : "").append(".\n");
        sb.append("- Before each scenario but the first, outside the measured time, the benchmark waits until the\n")
                .append("  server has sent every usage export that earlier scenarios left due (it exports recorded usage\n")
                .append("  in the background; after the batches that takes minutes; at most 10 minutes, and the wait is\n")
                .append("  printed), then runs `CHECKPOINT`, so that no scenario measures an earlier one's leftover work.\n");
        if (o.scenarios().contains("batch")) {
            sb.append("- **Batches**: ").append(Result.count(o.batchRequests())).append(" requests of ")
                    .append(Result.count(o.batchSize()))
                    .append(" records per run, ").append(o.batchClients()).append(" clients; events/s = records accepted\n")
                    .append("  / wall time of the run.\n");
        }
        if (o.scenarios().contains("single")) {
            sb.append("- **Single records**: ").append(Result.count(o.singleRequests())).append(" requests of one record per run, ")
                    .append(o.singleClients()).append(" clients; requests/s.\n");
        }
        if (o.scenarios().contains("drain")) {
            sb.append("- **Drain**: the feed is emptied (`TRUNCATE`), then ").append(Result.count(o.drainEvents()))
                    .append(" events are loaded ");
            if (o.drainLoad().equals("sql")) {
                sb.append("**directly with SQL**\n  (one `INSERT … SELECT … FROM generate_series` into `usage_events`, one millisecond apart),\n");
            } else {
                sb.append("through the batch API\n  (batches of 10,000),\n");
            }
            sb.append("  then `VACUUM (ANALYZE) usage_events`, as autovacuum would do after a large insert. Then one\n")
                    .append("  collector runs the loop of SPEC 3.3: it fixes `before` (now), then repeats GET page 1 with\n")
                    .append("  `page_size=").append(o.drainPageSize()).append("`, reads every item (it keeps the ids and persists nothing), DELETE page 1\n")
                    .append("  with the same selector, until a GET answers no items. The time is from the first GET to the\n")
                    .append("  empty answer. A run fails unless every event was collected exactly once, each DELETE removed\n")
                    .append("  exactly the page read, and the table is empty at the end. p50/p99 are of one GET + DELETE\n")
                    .append("  cycle.\n");
        }
        if (checks) {
            sb.append("- **Entitlement checks, set-up** (once, before the first check scenario): `PUT` of a catalog\n")
                    .append("  whose plan `").append(Checks.PLAN).append("` has three windows on `").append(Checks.FEATURE)
                    .append("`/`").append(Checks.METER).append("`: minute ").append(Result.count(Checks.MINUTE_LIMIT))
                    .append(",\n  day ").append(Result.count(Checks.DAY_LIMIT)).append(", month ")
                    .append(Result.count(Checks.MONTH_LIMIT)).append(". ")
                    .append(Result.count(o.checkAccounts())).append(" accounts are activated on it **through the API**,\n")
                    .append("  one `POST /api/internal/billing/subscription-updates` each. Their quota counters are inserted\n")
                    .append("  **directly with SQL**: per account the current month (used 0–1,000,000), the current day, and\n")
                    .append("  the minute windows from ").append(o.historyMinutes()).append(" minutes ago to ")
                    .append(Checks.MINUTES_AHEAD).append(" minutes ahead (a busy server keeps minute\n")
                    .append("  counters for a day), then `VACUUM (ANALYZE)`. Before every run the minute counters of the next\n  ")
                    .append(Checks.MINUTES_AHEAD).append(" minutes are made sure to exist, so that every check reads three existing counter\n")
                    .append("  rows. One account in ").append(Checks.EXHAUSTED_EVERY)
                    .append(" has spent its month. Each check names an account picked at random\n")
                    .append("  (uniformly), the meter, and a quantity of 1–").append(Result.count(Checks.MAX_QUANTITY))
                    .append(" tokens; its token holds only\n")
                    .append("  `billing:entitlement:check`. Every answer must be 200, `allowed` for an account with room and\n")
                    .append("  `quota_exceeded` for one whose month is spent, or the run counts as failed.\n");
        }
        if (o.scenarios().contains("check")) {
            sb.append("- **Check, no reservation**: ").append(Result.count(o.checkRequests())).append(" checks per run, ")
                    .append(o.checkClients()).append(" clients, closed loop; checks/s. On the\n")
                    .append("  server this is one SQL round trip (the account, the catalog version and the counters in one\n")
                    .append("  query).\n");
        }
        if (o.scenarios().contains("paced")) {
            sb.append("- **Check at ").append(Result.count(o.checkRate())).append("/s**: the same checks, ")
                    .append(Result.count(o.checkRequests())).append(" per run, sent on a schedule instead: check *i* is due\n")
                    .append("  *i* / ").append(Result.count(o.checkRate())).append(" s after the start and the next free one of ")
                    .append(o.checkClients()).append(" clients (platform threads) sends it then.\n")
                    .append("  Latency counts from when a check was due, not from when it was sent, so a slow answer that\n")
                    .append("  holds up the checks behind it counts against them too. This is the latency while serving\n")
                    .append("  that rate; the closed loop above measures the capacity, and its latency is the queueing\n")
                    .append("  of ").append(o.checkClients()).append(" clients on a saturated machine. The target is met when the runs kept\n")
                    .append("  up (median at least 99% of the rate) and their median p99 is under 10 ms.\n");
        }
        if (o.scenarios().contains("reserve")) {
            sb.append("- **Check with reservation**: ").append(Result.count(o.reserveRequests()))
                    .append(" checks per run, ").append(o.checkClients()).append(" clients, each with\n")
                    .append("  `\"reservation\":{\"id\":…,\"ttl_seconds\":300}` and an id never used before; checks/s. On the\n")
                    .append("  server each is a transaction that claims the id, reads, locks the three counters, holds the\n")
                    .append("  quantity in them and stores the answer. After each run, outside the measured time, every held\n")
                    .append("  reservation is settled by recording its usage under the reservation's id (batches of 1,000),\n")
                    .append("  and the run fails unless no counter holds anything afterwards. The limits are far above what\n")
                    .append("  the runs use, so holds never refuse a check.\n");
        }
        if (o.scenarios().contains("dashboard")) {
            sb.append("- **Dashboard** (`GET /v1/dashboard/billing/subscription` and `/usage`): the server runs with\n")
                    .append("  `BUS_RATE_LIMIT=").append(Dashboard.RATE_LIMIT).append("`, so every request is counted against its key (one\n")
                    .append("  upsert into `api_key_rate_windows`) but none is refused. Set-up, through the API, outside the\n")
                    .append("  measured time: `PUT` of a catalog whose plan `").append(Dashboard.PLAN).append("` has quotas on `")
                    .append(Dashboard.FEATURE).append("`/`").append(Dashboard.METER).append("`\n  (day ")
                    .append(Result.count(Dashboard.DAY_LIMIT)).append(", month ").append(Result.count(Dashboard.MONTH_LIMIT))
                    .append(") with an internal token (`billing:catalog:write billing:subscriptions:write\n")
                    .append("  usage:write`); ").append(Dashboard.ACCOUNTS).append(" accounts activated with `POST /api/internal/billing/subscription-updates`;\n  ")
                    .append(Dashboard.KEYS_PER_ACCOUNT).append(" keys per account made with `POST /api/v1/keys` (an end-user token: audience\n")
                    .append("  `ai.hg.fi/api`, `sub` the account, scope `keys:write`; `quota_limit` ")
                    .append(Result.count(Dashboard.KEY_LIMIT)).append("); one `usage_recorded`\n")
                    .append("  per key naming it in `data.api_key_id`. Then ").append(Result.count(o.dashboardRequests()))
                    .append(" GETs per run, ").append(o.dashboardClients()).append(" clients, closed loop,\n")
                    .append("  alternating subscription and usage, with `Authorization: Bearer sk-…` rotating over the ")
                    .append(Dashboard.ACCOUNTS * Dashboard.KEYS_PER_ACCOUNT).append(" keys\n")
                    .append("  (`BUS_DISPLAY_TOKEN_STAT` default: figures of the key). Every answer must be 200 with\n")
                    .append("  `\"object\":\"billing_subscription\"` or `\"object\":\"list\"`, or the run counts as failed; requests/s.\n");
        }
        if (o.baselines() && o.any("batch", "single")) {
            sb.append("- **Baseline: pgbench INSERT** (same run, same server, same client count as the Bus scenario\n")
                    .append("  above it): `pgbench -n -M prepared -c C -j ").append(Runtime.getRuntime().availableProcessors())
                    .append(" -t T -f script` on tables made with\n")
                    .append("  `create table peer.X (like public.X including all)` for `usage_events` and `usage_event_keys`\n")
                    .append("  (the migrated shape: columns, identity, keys, indexes).\n")
                    .append("  Each transaction is one statement that inserts N rows into both tables (keys `on conflict do\n")
                    .append("  nothing`), the rows sent as text arrays as the server sends its rows: a fresh event id per row,\n")
                    .append("  one of 100 accounts, about 90 bytes of usage JSON. N is the Bus scenario's records per request;\n")
                    .append("  the transactions per run match its requests per run.\n");
        }
        if (o.baselines() && o.any("check", "reserve")) {
            sb.append("- **Baseline: pgbench -S** (select-only): `pgbench -i -s ").append(o.pgbenchScale())
                    .append("` in a scratch database, then\n  `pgbench -n -S -M prepared` with the check scenarios' client count and ")
                    .append(Result.count(o.checkRequests())).append("\n  transactions per run: one primary-key SELECT per ")
                    .append("transaction, the least a check that reads\n  PostgreSQL can cost.\n");
            sb.append("- **Baseline: Bucket4j** 8.18 (`bucket4j_jdk17-postgresql`, select-for-update proxy manager) in\n")
                    .append("  the benchmark process over a HikariCP pool of ").append(o.peerPoolSize())
                    .append(" (the server's pool size) to a scratch database:\n  one bucket per account (")
                    .append(Result.count(o.checkAccounts())).append("), with three bandwidths as the plan's windows (minute ")
                    .append(Result.count(Checks.MINUTE_LIMIT)).append(",\n  day ").append(Result.count(Checks.DAY_LIMIT))
                    .append(", 30-day month ").append(Result.count(Checks.MONTH_LIMIT))
                    .append(", each refilled at once at its boundary), the\n  same 1% of accounts with the month spent and the same quantities; ")
                    .append(Result.count(o.peerRequests())).append("\n  `tryConsume(quantity)` per run with ")
                    .append(o.checkClients()).append(" client threads. Every answer must be what the bucket's state calls for.\n");
        }
        if (o.scenarios().contains("cli")) {
            sb.append("- **CLI**: wall time from starting the process to its exit of `bin/bus --version` and `bin/bus billing\n")
                    .append("  status` (the launcher a user runs, with whatever it passes to the JVM), against `java -version`\n")
                    .append("  of the JDK the launcher finds (the floor of any Java command); the three alternate, one warm-up\n")
                    .append("  round (it also absorbs a first start that writes a class-data archive), then ").append(o.repeats()).append(" measured. `billing status` asks the benchmark's server about\n")
                    .append("  one active account (token in `BUS_CONFIG_DIR`). A run fails if the launcher rebuilds the jar.\n");
        }
        sb.append("- *vs baseline*: the median divided by the baseline's median from the same run (for times, more\n")
                .append("  than 1x is slower than the baseline; for rates, less than 1x is slower).\n");
        sb.append("- *CPU µs per unit*: CPU time of the server process and of its PostgreSQL backends divided by the\n")
                .append("  events (or requests) handled, median over runs. On a shared machine this varies less than\n")
                .append("  throughput does, and says what the work costs.\n");
        sb.append("- *cores*: average busy CPU cores during the measured runs (median over runs) of the server process,\n")
                .append("  of the PostgreSQL backends serving the benchmark database, of the benchmark client, and of the\n")
                .append("  whole machine. The machine's figure beyond the other three is PostgreSQL's background work (WAL\n")
                .append("  writer, autovacuum) and whatever else ran on the machine.\n");
        sb.append("- Each run is bounded in requests and by a time limit (").append(o.runLimit().toSeconds())
                .append(" s); traffic goes only to 127.0.0.1.\n");
        sb.append("\n## Results\n\n");
        sb.append(markdownTable(results));
        sb.append('\n');
        for (Result r : results) {
            sb.append("- ").append(r.name).append(": runs ").append(r.valuesText()).append(' ').append(r.unit).append(".\n");
            for (String remark : r.remarks) {
                sb.append("  ").append(remark).append(".\n");
            }
        }
        sb.append("\n## Targets\n\n");
        for (Result r : results) {
            if (r.baseline) {
                continue;
            }
            String versus = r.comparisons.isEmpty() ? "" : "; " + r.versus();
            double p99 = Result.median(r.p99);
            if (r.target == null) {
                sb.append("- ").append(r.name).append(": no target; median ").append(Result.num(r.median())).append(' ')
                        .append(r.unit).append(Double.isNaN(p99) ? "" : ", p99 " + Result.num(p99) + " ms").append(versus)
                        .append(r.failures > 0 ? " (with failed requests, see above)" : "").append(".\n");
                continue;
            }
            sb.append("- ").append(r.name).append(": target ").append(r.target.text()).append("; median ")
                    .append(Result.num(r.median())).append(' ').append(r.unit)
                    .append(r.target.p99Below() == null ? "" : ", p99 " + Result.num(Result.median(r.p99)) + " ms")
                    .append(versus)
                    .append(" — **").append(r.met() ? "met" : "missed").append("** (").append(r.margin()).append(")")
                    .append(r.failures > 0 ? " (with failed requests, see above)" : "").append(".\n");
        }
        sb.append("\nRun it again with `bench/run` (options: `bench/run --help`).\n\n");
        sb.append(KEEP_MARKER).append(kept.startsWith("\n") ? "" : "\n").append(kept);
        Files.createDirectories(doc.getParent());
        Files.writeString(doc, sb.toString(), StandardCharsets.UTF_8);
    }
}

package fi.hg.bus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * How long the {@code bus} command line takes, as a user runs it (the launcher {@code bin/bus},
 * which finds the JDK, checks that the jar is up to date and starts it with whatever the
 * launcher passes, an AppCDS/AOT archive included): {@code bus --version}, and
 * {@code bus billing status} against the running server (one account on a plan with three quota
 * windows); against {@code java -version} on the same JDK, the floor of any Java command.
 * Wall time from starting the process to its exit; the runs of the three commands alternate.
 */
final class CliStart {

    private static final PrintStream OUT = System.out;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String PLAN = "bench-cli";

    private final Options options;
    private final ServerProcess server;
    private final byte[] secret;
    private final Transport admin;
    private final String tag;
    private final String account = UUID.randomUUID().toString();

    /** @param admin a transport whose token may write the catalog, subscription updates and usage */
    CliStart(Options options, ServerProcess server, byte[] secret, Transport admin, String tag) {
        this.options = options;
        this.server = server;
        this.secret = secret;
        this.admin = admin;
        this.tag = tag;
    }

    /** The three rows: java -version (the baseline), bus --version, bus billing status. */
    List<Result> scenario() throws Exception {
        Path launcher = options.root().resolve("bin/bus");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException(launcher + " is missing or not executable");
        }
        Path javaHome = javaHome();
        Path config = setUp();
        Map<String, String> env = Map.of("BUS_CONFIG_DIR", config.toString(), "BUS_API_URL", server.uri("").toString());
        Result floor = new Result("java -version (the same JDK)", "1 process", javaHome + "/bin/java -version", "ms",
                "start", null);
        floor.baseline = true;
        Result version = new Result("CLI start: bus --version", "1 process", "bin/bus --version", "ms", "start",
                new Result.Target(300, false, "< 300 ms (`bus --version`)"))
                .compareWith(floor, "java -version");
        Result status = new Result("CLI: bus billing status", "1 process",
                "bin/bus billing status, one GET to the server", "ms", "start", null).compareWith(floor, "java -version");
        Result direct = new Result("java -jar bus.jar --version", "1 process", "", "ms", "start", null);
        Result findJdk = new Result("bin/find-jdk.sh", "1 process", "", "ms", "start", null);
        List<String> findJdkCommand = List.of("sh", "-c", ". \"$1/bin/find-jdk.sh\" && echo \"$JAVA_HOME\"", "sh",
                options.root().toString());
        List<String> javaVersion = List.of(javaHome.resolve("bin/java").toString(), "-version");
        List<String> busVersion = List.of(launcher.toString(), "--version");
        List<String> busStatus = List.of(launcher.toString(), "billing", "status");
        List<String> jarVersion = List.of(javaHome.resolve("bin/java").toString(), "-jar", options.jar().toString(),
                "--version");
        OUT.println("bench: CLI start (" + launcher + "), " + options.repeats() + " runs of each, alternating");
        for (int run = 0; run <= options.repeats(); run++) {
            boolean warmUp = run == 0; // the files in the page cache, as for a user's second command
            double j = time(javaVersion, env, floor, "version");
            double v = time(busVersion, env, version, "bus");
            double s = time(busStatus, env, status, account);
            double d = time(jarVersion, env, direct, "bus");
            double f = time(findJdkCommand, env, findJdk, "/");
            if (warmUp) {
                OUT.printf(Locale.ROOT, "  warm-up  java -version %.0f ms, bus --version %.0f ms, bus billing status %.0f ms, "
                        + "java -jar bus.jar --version %.0f ms%n", j, v, s, d);
                continue;
            }
            floor.add(j, 1000 / j, Double.NaN, Double.NaN, null);
            version.add(v, 1000 / v, Double.NaN, Double.NaN, null);
            status.add(s, 1000 / s, Double.NaN, Double.NaN, null);
            direct.add(d, 1000 / d, Double.NaN, Double.NaN, null);
            findJdk.add(f, 1000 / f, Double.NaN, Double.NaN, null);
            OUT.printf(Locale.ROOT, "  run %-4d java -version %.0f ms, bus --version %.0f ms, bus billing status %.0f ms, "
                    + "java -jar bus.jar --version %.0f ms%n", run, j, v, s, d);
        }
        version.remarks.add("the same without the launcher (`java -jar app/target/bus.jar --version`): median "
                + Result.num(direct.median()) + " ms (" + Result.num(direct.min()) + "–" + Result.num(direct.max())
                + "); the rest is bin/bus finding the JDK (bin/find-jdk.sh alone: median " + Result.num(findJdk.median())
                + " ms, " + (System.getenv("JAVA_HOME") == null ? "JAVA_HOME unset" : "JAVA_HOME set")
                + ") and checking that the jar is newer than the sources");
        status.remarks.add("the account is active on plan " + PLAN + " with minute, day and month windows and one "
                + "usage record; its token (audience ai.hg.fi/api, scope billing:read) is in BUS_CONFIG_DIR, "
                + "BUS_API_URL names the benchmark's server");
        if (direct.failures > 0) {
            version.remarks.addAll(direct.remarks);
        }
        return List.of(floor, version, status);
    }

    /** The JDK the launcher runs the jar on, found as the launcher finds it. */
    private Path javaHome() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", ". \"$1/bin/find-jdk.sh\" && printf %s \"$JAVA_HOME\"", "sh",
                options.root().toString()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
            throw new IllegalStateException("bin/find-jdk.sh found no JDK");
        }
        return Path.of(out);
    }

    /** Wall milliseconds of one run of {@code command}; a failed run counts against {@code r}. */
    private double time(List<String> command, Map<String, String> env, Result r, String expect) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(options.root().toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("BUS_"));
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        double millis = (System.nanoTime() - t0) / 1e6;
        String text = new String(out, StandardCharsets.UTF_8);
        String failure = null;
        if (!done) {
            p.destroyForcibly();
            failure = "did not finish within 120 s";
        } else if (p.exitValue() != 0) {
            failure = "exited with " + p.exitValue() + ": " + snippet(text);
        } else if (text.contains("building bus.jar")) {
            failure = "the launcher rebuilt bus.jar (sources newer than the jar), so this run timed a build";
        } else if (!text.contains(expect)) {
            failure = "printed no " + expect + ": " + snippet(text);
        }
        if (failure != null) {
            r.failures++;
            if (r.remarks.size() < 3) {
                r.remarks.add(String.join(" ", command) + " " + failure);
            }
        }
        return millis;
    }

    private static String snippet(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }

    /** A plan with three windows, the account active on it with one usage record, and its token file. */
    private Path setUp() throws Exception {
        String catalog = """
                {"products":[{"id":"llm","name":"LLM access"}],
                 "meters":[{"name":"%2$s","unit":"tokens"}],
                 "plans":[
                  {"id":"%3$s","name":"Bench CLI","product_id":"llm","features":["%1$s"],
                   "prices":[{"currency":"eur","unit_amount":1000,"interval":"month"}],
                   "quotas":[
                    {"feature":"%1$s","meter_event_name":"%2$s","window":"minute","limit":%4$d},
                    {"feature":"%1$s","meter_event_name":"%2$s","window":"day","limit":%5$d},
                    {"feature":"%1$s","meter_event_name":"%2$s","window":"month","limit":%6$d}]}]}
                """.formatted(Checks.FEATURE, Checks.METER, PLAN, Checks.MINUTE_LIMIT, Checks.DAY_LIMIT,
                Checks.MONTH_LIMIT);
        try (Transport.Client http = admin.open()) {
            require(http.send(admin.prepare("PUT", "/api/internal/billing/catalog", bytes(catalog))), "PUT catalog");
            String update = "{\"event_id\":\"bench-" + tag + "-cli-sub\",\"account_id\":\"" + account
                    + "\",\"provider\":\"local\",\"status\":\"active\",\"provider_customer_id\":\"cus_cli\","
                    + "\"provider_subscription_id\":\"sub_cli\",\"plan_id\":\"" + PLAN + "\",\"features\":[\""
                    + Checks.FEATURE + "\"]}";
            Transport.Answer a = http.send(admin.prepare("POST", "/api/internal/billing/subscription-updates",
                    bytes(update)));
            require(a, "POST subscription-updates");
            if (!MAPPER.readTree(a.body()).path("applied").asBoolean()) {
                throw new IllegalStateException("subscription update not applied: " + Load.snippet(a.body()));
            }
            String usage = "{\"events\":[{\"event_type\":\"usage_recorded\",\"event_id\":\"bench-" + tag
                    + "-cli-u\",\"account_id\":\"" + account + "\",\"occurred_at\":\"" + Instant.now()
                    + "\",\"data\":{\"model\":\"bench-model\",\"total_tokens\":1234}}]}";
            require(http.send(admin.prepare("POST", "/api/internal/usage-events", bytes(usage))), "POST usage-events");
        }
        server.requireAlive();
        Path config = options.resultsDir().resolve("cli-config");
        Files.createDirectories(config.resolve("auth"));
        Path token = config.resolve("auth/api-token");
        Files.writeString(token, Tokens.endUser(secret, account, "billing:read billing:setup", Duration.ofHours(12)),
                StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return config;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void require(Transport.Answer a, String what) {
        if (a.status() != 200) {
            throw new IllegalStateException(what + " answered " + a.status() + ": " + Load.snippet(a.body()));
        }
    }
}

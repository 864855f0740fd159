package fi.hg.bus.app;

import com.sun.net.httpserver.HttpServer;
import fi.hg.bus.app.config.Env;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes the start-up archive that {@code bin/bus} runs the command line with (docs/cli.md,
 * "Start time"): a JVM runs representative commands ({@code --version}, {@code billing --help},
 * {@code billing status} without a token and against a local HTTP server) and the JDK writes
 * the classes they loaded, parsed and linked into an archive that later JVMs map instead of
 * loading them from the jar again. On JDK 24 and newer that is an AOT cache (JEP 483, made in one
 * step on 25 with JEP 514's {@code -XX:AOTCacheOutput}); on 21 to 23 a dynamic CDS archive.
 * <p>
 * {@code java -cp bus.jar fi.hg.bus.app.StartArchive [--kind aot|cds] JAR DIR} writes into
 * {@code DIR} (replacing it whole, so a launcher never sees half of it):
 * <ul>
 *   <li>{@code bus.aot} or {@code bus.jsa}: the archive, for this JDK build and this jar only;</li>
 *   <li>{@code jdk-release}: the {@code release} file of the JDK that made it, which the launcher
 *       compares with its JDK's before using the archive;</li>
 *   <li>{@code java-options}: the JVM options to run the command line with (the archive was made
 *       with them; some, such as the collector, must match).</li>
 * </ul>
 * The Maven build runs it in {@code package} right after the jar is shaded. It exits 0 even when
 * the JDK cannot make an archive (the launcher then runs without one) and says why on stderr.
 * Training runs with {@code --train} in the child JVM.
 */
public final class StartArchive {

    /**
     * The JVM options of short commands, measured (docs/cli.md): C1 only (C2 compiles nothing a
     * short command keeps, and takes one of two cores while it tries) and the serial collector
     * (no G1 threads and regions to set up for a heap of a few megabytes).
     */
    static final List<String> CLI_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private StartArchive() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--train")) {
            train();
            System.exit(0);
        }
        String kind = Runtime.version().feature() >= 24 ? "aot" : "cds";
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.size() >= 2 && rest.get(0).equals("--kind")) {
            kind = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (rest.size() != 2 || !(kind.equals("aot") || kind.equals("cds"))) {
            System.err.println("usage: java -cp bus.jar fi.hg.bus.app.StartArchive [--kind aot|cds] JAR DIR");
            System.exit(2);
        }
        String problem = make(kind, Path.of(rest.get(0)).toAbsolutePath(), Path.of(rest.get(1)).toAbsolutePath());
        if (problem != null) {
            System.err.println("bus: no start-up archive was made (the bus command runs without one): " + problem);
        }
    }

    /** Makes the archive; returns null, or why there is none. */
    static String make(String kind, Path jar, Path dir) throws IOException, InterruptedException {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release)) {
            return javaHome + " has no release file to tell its build by";
        }
        if (!Files.isRegularFile(jar)) {
            return jar + " does not exist";
        }
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        delete(tmp);
        Files.createDirectories(tmp);
        List<String> logOff = new ArrayList<>(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        if (Runtime.version().feature() >= 25) {
            logOff.add("-Xlog:aot=off");
        }
        List<String> options = new ArrayList<>(CLI_OPTIONS);
        options.addAll(logOff);
        String java = javaHome.resolve("bin").resolve("java").toString();
        String archive;
        if (kind.equals("aot") && Runtime.version().feature() >= 25) {
            archive = "bus.aot";
            String out = run(tmp, java, options, "-XX:AOTCacheOutput=" + tmp.resolve(archive), jar);
            if (out != null) {
                return out;
            }
        } else if (kind.equals("aot")) {
            archive = "bus.aot";
            Path config = tmp.resolve("bus.aotconf");
            String out = run(tmp, java, options, "-XX:AOTMode=record -XX:AOTConfiguration=" + config, jar);
            if (out == null) {
                out = run(tmp, java, options, "-XX:AOTMode=create -XX:AOTConfiguration=" + config
                        + " -XX:AOTCache=" + tmp.resolve(archive), jar);
            }
            Files.deleteIfExists(config);
            if (out != null) {
                return out;
            }
        } else {
            archive = "bus.jsa";
            String out = run(tmp, java, options, "-XX:ArchiveClassesAtExit=" + tmp.resolve(archive), jar);
            if (out != null) {
                return out;
            }
        }
        if (!Files.isRegularFile(tmp.resolve(archive)) || Files.size(tmp.resolve(archive)) == 0) {
            return "the JVM wrote no " + archive;
        }
        Files.copy(release, tmp.resolve("jdk-release"));
        Files.writeString(tmp.resolve("java-options"), String.join(" ", options) + "\n", StandardCharsets.UTF_8);
        delete(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        return null;
    }

    /** Runs the training JVM with {@code archiveOptions}; returns null, or what went wrong with its output. */
    private static String run(Path tmp, String java, List<String> options, String archiveOptions, Path jar)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options);
        command.addAll(List.of(archiveOptions.split(" ")));
        command.addAll(List.of("-cp", jar.toString(), StartArchive.class.getName(), "--train"));
        Path log = tmp.resolve("training.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return "the training run did not end in 5 minutes";
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        if (process.exitValue() != 0) {
            return "the training run exited " + process.exitValue() + ": " + String.join(" ", command)
                    + System.lineSeparator() + output.strip();
        }
        return null;
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * The training: what people run most, in-process and as {@link Main#main} would, with its output
     * dropped. Only that: an AOT cache's classes are all loaded when a JVM starts, so the rest of
     * the command tree (and never the server) stays out. {@code billing status} runs against a local HTTP server that answers with the
     * documented example of a status (docs/entitlements.md), so that the HTTP client, the JSON
     * parser and the status text are in the archive too; its token is unsigned (nothing checks it).
     * Exits non-zero when a command does not end as it should, so a broken training is noticed.
     */
    private static void train() throws IOException {
        Logging.configure();
        Main.stdoutIsTerminal();
        Path config = Files.createTempDirectory("bus-training");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = STATUS.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/api/v1/billing/status") ? 200 : 404,
                    body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String api = "http://127.0.0.1:" + server.getAddress().getPort();
            Env none = new Env(Map.of("BUS_CONFIG_DIR", config.toString(), "BUS_API_URL", api));
            Env withToken = new Env(Map.of("BUS_CONFIG_DIR", config.toString(), "BUS_API_URL", api,
                    "BUS_API_TOKEN", token()));
            expect(0, none, "--version");
            expect(0, none, "billing", "--help");
            expect(3, none, "billing", "status");
            expect(0, withToken, "billing", "status");
            expect(0, withToken, "billing", "status", "--format", "json");
        } finally {
            server.stop(0);
            delete(config);
        }
    }

    private static void expect(int code, Env env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int actual = Main.run(env, args, new PrintWriter(out, true), new PrintWriter(err, true), false);
        if (actual != code) {
            throw new IllegalStateException("bus " + String.join(" ", args) + " exited " + actual + ", not " + code
                    + ":\n" + out + err);
        }
    }

    private static String token() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String claims = "{\"sub\":\"00000000-0000-4000-8000-000000000001\",\"aud\":\"ai.hg.fi/api\","
                + "\"scope\":\"billing:read billing:setup\",\"exp\":" + Instant.now().plusSeconds(3600).getEpochSecond() + "}";
        return b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("training".getBytes(StandardCharsets.UTF_8));
    }

    /** The example status of docs/entitlements.md: active, one quota window spent. */
    private static final String STATUS = """
            {"account_id":"00000000-0000-4000-8000-000000000001","status":"active","features":["llm:proxy"],
             "provider":"local","plan_id":"llm-basic",
             "usage":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"minute","used":20100,
                       "limit":20000,"remaining":0,"exceeded":true,"upgrade_plan_id":"llm-pro",
                       "resets_at":"2026-05-03T10:16:00Z","reserved":0}],
             "setup_required":false,"upgrade_required":true,"next_action":"upgrade_plan",
             "command":"bus billing setup","recommended_plan":"llm-pro"}
            """;
}

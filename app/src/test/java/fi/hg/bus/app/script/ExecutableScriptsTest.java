package fi.hg.bus.app.script;

import com.fasterxml.jackson.databind.ObjectMapper;
import fi.hg.bus.app.e2e.TestServer;
import fi.hg.bus.app.script.BusRuns.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executable {@code .bus} files started by the kernel through {@code #!/usr/bin/env bus}, with the
 * repository's {@code bin/} on PATH: the launcher {@code bin/bus} runs this build (a launcher jar
 * named by {@code BUS_JAR}, since bus.jar is packaged after the tests) with the file's path as its
 * first argument. The guide's own examples are run that way against a real server.
 */
class ExecutableScriptsTest {

    private static final String SCOPES = "billing:read billing:catalog:read billing:catalog:write";

    private static TestServer server;
    private static String token;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        token = server.token(TestServer.INTERNAL, SCOPES);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Runs {@code command} as a process with bin/ first on PATH and this build as bus.jar. */
    private static Result exec(Map<String, String> env, Path cwd, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        Map<String, String> e = pb.environment();
        e.put("PATH", BusRuns.ROOT.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        e.put("BUS_JAR", launcher().toString());
        e.put("JAVA_HOME", BusRuns.javaHome().toString());
        e.put("BUS_API_URL", "http://127.0.0.1:" + server.port());
        e.put("BUS_OPERATOR_TOKEN", token);
        e.putAll(env);
        Path out = Files.createTempFile(shared, "out", ".txt");
        Path err = Files.createTempFile(shared, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the script did not end in 120 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Path launcherJar;

    private static synchronized Path launcher() throws IOException {
        if (launcherJar == null) {
            launcherJar = BusRuns.launcherJar(shared);
        }
        return launcherJar;
    }

    private Path executable(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void an_executable_bus_file_runs_through_the_launcher_on_path() throws Exception {
        String account = UUID.randomUUID().toString();
        Path script = executable("status.bus", """
                #!/usr/bin/env bus
                operator billing status --account ${ACCOUNT}
                operator billing catalog get --format json
                """);
        Result r = exec(Map.of("ACCOUNT", account), dir, script.toString());
        assertEquals(0, r.code(), r::describe);
        assertTrue(r.out().contains("Status    missing"), r::describe);
        assertTrue(r.out().contains("\"plans\""), r::describe);
    }

    @Test
    void options_after_the_file_reach_bus_run_and_exit_codes_come_back() throws Exception {
        Path script = executable("bad", "#!/usr/bin/env bus\noperator billing catalog get\nfrobnicate\n");
        Result r = exec(Map.of(), dir, "./bad", "--trace");
        assertEquals(127, r.code(), r::describe);
        assertTrue(r.err().startsWith("./bad:3: unknown command 'frobnicate'; the commands are "), r.err());
        assertTrue(r.err().contains("serve") && r.err().endsWith("\nbus: nothing was run\n"), r.err());
        Path fails = executable("fails.bus", "#!/usr/bin/env bus\noperator billing status --account nope\n");
        assertEquals(2, exec(Map.of(), dir, fails.toString()).code());
        assertEquals(127, exec(Map.of(), dir, "./bad", "--check").code());
    }

    @Test
    void the_guides_nightly_example_runs_as_an_executable_from_another_directory() throws Exception {
        String account = UUID.randomUUID().toString();
        Path nightly = BusRuns.ROOT.resolve("docs/examples/nightly.bus");
        assertTrue(Files.isExecutable(nightly), "docs/examples/nightly.bus is executable in the repository");
        Result r = exec(Map.of("ACCOUNT", account, "REPORT_DIR", dir.toString()), dir, nightly.toString());
        assertEquals(0, r.code(), r::describe);
        assertEquals(List.of(
                nightly + ":7: bus operator billing catalog get --format json --output " + dir + "/catalog.json",
                BusRuns.ROOT + "/docs/examples/account-status.bus:3: bus operator billing status --account " + account,
                BusRuns.ROOT + "/docs/examples/account-status.bus:6: bus operator billing status --account " + account
                        + " --format json"), r.err().lines().toList());
        assertTrue(new ObjectMapper().readTree(Files.readString(dir.resolve("catalog.json"))).has("plans"));
        assertTrue(r.out().startsWith("Account   " + account), r::describe);
        assertTrue(r.out().contains("\"account_id\" : \"" + account + "\""), r::describe);
    }

    @Test
    void the_guides_catalog_example_stores_the_template() throws Exception {
        Path setup = BusRuns.ROOT.resolve("docs/examples/catalog-setup.bus");
        Result r = exec(Map.of(), dir, setup.toString());
        assertEquals(0, r.code(), r::describe);
        assertTrue(Files.exists(dir.resolve("catalog.json")), "the default CATALOG_FILE is catalog.json in the current directory");
        assertTrue(r.out().startsWith("Stored catalog version "), r::describe);
        assertTrue(r.out().contains("llm-basic  LLM Basic"), r::describe);
    }
}

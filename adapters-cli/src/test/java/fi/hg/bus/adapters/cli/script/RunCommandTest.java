package fi.hg.bus.adapters.cli.script;

import fi.hg.bus.adapters.cli.Cli;
import fi.hg.bus.adapters.cli.CommandFailed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bus run}, {@code bus FILE.bus} and the flags of {@code run}, on commands that need no server. */
class RunCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int bus(String... args) {
        Cli cli = Cli.create((file, subject, audience, scope, ttl) -> {
                    throw CommandFailed.credentials("no secret in this test");
                }, Map.of("TARGET", dir.toString()), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return cli.run(args);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void bus_file_dot_bus_runs_the_file_like_bus_run() throws IOException {
        Path script = write("t.bus", "operator billing catalog template --output ${TARGET}/a.json\n");
        assertEquals(0, bus(script.toString()));
        assertTrue(Files.exists(dir.resolve("a.json")));
        Files.delete(dir.resolve("a.json"));
        assertEquals(0, bus("run", script.toString()));
        assertTrue(Files.exists(dir.resolve("a.json")));
        assertEquals("", err.toString());
    }

    @Test
    void a_path_with_a_slash_runs_as_a_script_whatever_its_name_as_a_shebang_starts_it() throws IOException {
        Path script = write("nightly", "#!/usr/bin/env bus\noperator billing catalog template --output ${TARGET}/n.json\n");
        assertEquals(0, bus(script.toString(), "--trace"));
        assertTrue(Files.exists(dir.resolve("n.json")));
        assertEquals(script + ":2: bus operator billing catalog template --output " + dir + "/n.json\n", err.toString());
    }

    @Test
    void the_flags_of_run_are_given_to_every_command_that_takes_them() throws IOException {
        Path script = write("t.bus", "operator billing catalog template\n");
        assertEquals(0, bus("run", "--output", dir.resolve("o.json").toString(), "--format", "json", script.toString()));
        assertTrue(Files.readString(dir.resolve("o.json")).contains("llm-pro"));
        assertEquals("", out.toString());
        assertEquals(0, bus("run", "--quiet", script.toString()));
        assertEquals("", out.toString());
    }

    @Test
    void a_failing_command_stops_the_script_with_its_exit_code() throws IOException {
        write("token", "x.y.z");
        Path script = write("t.bus", """
                operator billing catalog template --output ${TARGET}/first.json
                operator billing catalog get --api-url http://127.0.0.1:1 --token-file ${TARGET}/token
                operator billing catalog template --output ${TARGET}/never.json
                """);
        assertEquals(1, bus(script.toString()));
        assertTrue(Files.exists(dir.resolve("first.json")));
        assertFalse(Files.exists(dir.resolve("never.json")));
        assertTrue(err.toString().startsWith("bus: cannot connect to http://127.0.0.1:1/api/internal/billing/catalog"), err::toString);
        assertTrue(err.toString().endsWith(script + ":2: bus operator billing catalog get --api-url http://127.0.0.1:1 "
                + "--token-file " + dir + "/token: failed with exit code 1\n"), err::toString);
    }

    @Test
    void check_runs_nothing() throws IOException {
        Path script = write("t.bus", "operator billing catalog template --output ${TARGET}/a.json\n");
        assertEquals(0, bus("run", "--check", script.toString()));
        assertFalse(Files.exists(dir.resolve("a.json")));
        assertEquals("", out.toString() + err);
    }

    @Test
    void usage_errors_of_run_itself_are_2() throws IOException {
        Path script = write("t.bus", "operator billing catalog template\n");
        assertEquals(2, bus("run"));
        assertEquals(2, bus("run", "--format", "yaml", script.toString()));
        assertEquals(2, bus("run", dir.resolve("missing.bus").toString()));
        assertTrue(err.toString().contains("bus: cannot read " + dir.resolve("missing.bus") + ": no such file\n"), err::toString);
        assertEquals(2, bus(dir.resolve("missing.bus").toString()));
    }

    @Test
    void unknown_commands_are_127_and_nothing_runs() throws IOException {
        Path script = write("t.bus", "operator billing catalog template --output ${TARGET}/a.json\nfrobnicate statu\n");
        assertEquals(127, bus(script.toString()));
        assertFalse(Files.exists(dir.resolve("a.json")));
        assertTrue(err.toString().startsWith(script + ":2: unknown command 'frobnicate'; the commands are "), err::toString);
        assertTrue(err.toString().endsWith("\nbus: nothing was run\n"), err::toString);
    }

    @Test
    void run_inside_a_script_is_a_usage_error() throws IOException {
        Path script = write("t.bus", "run other.bus\n");
        assertEquals(2, bus(script.toString()));
    }

    @Test
    void only_a_first_argument_that_looks_like_a_file_is_a_script() {
        assertTrue(Cli.namesScript("x.bus"));
        assertTrue(Cli.namesScript("./deploy"));
        assertTrue(Cli.namesScript("/usr/local/bin/deploy"));
        assertFalse(Cli.namesScript("operator"));
        assertFalse(Cli.namesScript("--format=a/b.bus"));
    }
}

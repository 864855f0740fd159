package fi.hg.bus.app.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.hg.bus.app.e2e.TestServer;
import fi.hg.bus.app.script.BusRuns.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code .bus} scripts run by {@code bus run} and {@code bus FILE.bus} (in-process, through
 * {@code Main.run}) against a real server on a fresh database. The lines are
 * {@code operator billing …} commands: {@code bus billing status} (the end user's) is another
 * issue's work.
 */
class ScriptsAgainstServerTest {

    private static final String SCOPES = "billing:read billing:catalog:read billing:catalog:write";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestServer server;
    private static String token;

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

    private Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("BUS_API_URL", "http://127.0.0.1:" + server.port(),
                "BUS_OPERATOR_TOKEN", token, "DIR", dir.toString()));
        for (int k = 0; k < more.length; k += 2) {
            env.put(more[k], more[k + 1]);
        }
        return env;
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static long catalogVersion() {
        TestServer.Response r = server.get("/api/internal/billing/catalog", token);
        assertEquals(200, r.status(), r.body());
        return r.json().path("version").asLong();
    }

    private static List<JsonNode> jsonDocuments(String text) throws IOException {
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(text)) {
            return it.readAll();
        }
    }

    @Test
    void a_script_shows_an_accounts_billing_status_and_the_catalog() throws IOException {
        String account = UUID.randomUUID().toString();
        Path script = write("status.bus", """
                #!/usr/bin/env bus
                # status of one account, then the catalog
                operator billing status --account ${ACCOUNT}
                operator billing catalog get
                """);
        Result r = BusRuns.main(env("ACCOUNT", account), "run", script.toString());
        assertEquals(0, r.code(), r::describe);
        assertTrue(r.out().contains("Account   " + account), r::describe);
        assertTrue(r.out().contains("Status    missing"), r::describe);
        assertTrue(r.out().contains("Catalog version") || r.out().contains("No catalog is stored yet"), r::describe);
        assertEquals("", r.err());
    }

    @Test
    void bus_file_dot_bus_runs_it_too() throws IOException {
        Path script = write("get.bus", "operator billing catalog get --format json\n");
        Result r = BusRuns.main(env(), script.toString());
        assertEquals(0, r.code(), r::describe);
        assertTrue(JSON.readTree(r.out()).has("plans"), r::describe);
    }

    @Test
    void global_flag_lines_reach_the_real_commands_after_them() throws IOException {
        String account = UUID.randomUUID().toString();
        Path script = write("flags.bus", """
                operator billing catalog template --output ${DIR}/catalog.json
                --format json
                operator billing status --account ${ACCOUNT}
                operator billing catalog get
                --quiet
                operator billing catalog get
                --no-quiet --output ${DIR}/template.json
                operator billing catalog template
                --output ${DIR}/status.json
                operator billing status --account ${ACCOUNT}
                """);
        Result r = BusRuns.main(env("ACCOUNT", account), script.toString());
        assertEquals(0, r.code(), r::describe);
        List<JsonNode> printed = jsonDocuments(r.out());
        assertEquals(2, printed.size(), r::describe);
        assertEquals(account, printed.get(0).path("account_id").asText());
        assertTrue(printed.get(1).has("plans"), r::describe);
        assertEquals(account, JSON.readTree(Files.readString(dir.resolve("status.json"))).path("account_id").asText());
        // the template takes --output but has no --format: it was given the one and not the other
        assertTrue(JSON.readTree(Files.readString(dir.resolve("template.json"))).has("plans"));
    }

    @Test
    void a_failing_command_in_the_middle_stops_the_script_with_its_exit_code_and_later_lines_do_not_run() throws IOException {
        Path script = write("put.bus", """
                operator billing catalog template --output ${DIR}/catalog.json
                operator billing catalog put --file ${DIR}/catalog.json
                operator billing status --account not-a-uuid
                operator billing catalog put --file ${DIR}/catalog.json
                """);
        long before = catalogVersion();
        Result r = BusRuns.main(env(), "run", script.toString());
        assertEquals(2, r.code(), r::describe);
        assertEquals(before + 1, catalogVersion(), "the put before the failure ran, the one after it did not");
        assertTrue(r.out().startsWith("Stored catalog version " + (before + 1)), r::describe);
        assertTrue(r.err().contains("bus: --account must be an account id"), r::describe);
        assertTrue(r.err().endsWith(script + ":3: bus operator billing status --account not-a-uuid: failed with exit code 2\n"),
                r::describe);
    }

    @Test
    void a_token_the_server_refuses_stops_the_script_with_exit_3() throws IOException {
        Path bad = write("bad.token", server.token(TestServer.END_USER, "billing:read"));
        Path script = write("refused.bus", """
                operator billing catalog get --token-file ${DIR}/bad.token
                operator billing catalog template --output ${DIR}/never.json
                """);
        Result r = BusRuns.main(env(), script.toString());
        assertEquals(3, r.code(), r::describe);
        assertFalse(Files.exists(bad.resolveSibling("never.json")));
    }

    @Test
    void an_unknown_command_is_127_and_nothing_runs_not_even_the_lines_before_it() throws IOException {
        Path script = write("unknown.bus", """
                operator billing catalog template --output ${DIR}/catalog.json
                operator billing catalog put --file ${DIR}/catalog.json
                frobnicate --hard
                """);
        long before = catalogVersion();
        Result r = BusRuns.main(env(), script.toString());
        assertEquals(127, r.code(), r::describe);
        assertEquals(before, catalogVersion());
        assertFalse(Files.exists(dir.resolve("catalog.json")));
        assertTrue(r.err().startsWith(script + ":3: unknown command 'frobnicate'; the commands are "), r.err());
        assertTrue(r.err().contains("serve") && r.err().endsWith("\nbus: nothing was run\n"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void a_syntax_error_or_a_bad_option_anywhere_runs_nothing() throws IOException {
        long before = catalogVersion();
        Path syntax = write("syntax.bus", "operator billing catalog put --file ${DIR}/c.json\noperator billing status --account 'x\n");
        Result r = BusRuns.main(env(), syntax.toString());
        assertEquals(65, r.code(), r::describe);
        Path usage = write("usage.bus", "operator billing catalog template --output ${DIR}/c.json\noperator billing catalog get --colour\n");
        r = BusRuns.main(env(), usage.toString());
        assertEquals(2, r.code(), r::describe);
        assertEquals(usage + ":2: Unknown option: '--colour'\nbus: nothing was run\n", r.err());
        assertFalse(Files.exists(dir.resolve("c.json")));
        assertEquals(before, catalogVersion());
    }

    @Test
    void an_included_file_is_found_next_to_its_includer_and_runs_in_place() throws IOException {
        write("lib/put.bus", """
                operator billing catalog template --output ${DIR}/catalog.json
                operator billing catalog put --file ${DIR}/catalog.json
                """);
        Path main = write("main.bus", "--trace\nlib/put.bus\noperator billing catalog get --format json\n");
        long before = catalogVersion();
        Result r = BusRuns.main(env(), "run", main.toString());
        assertEquals(0, r.code(), r::describe);
        assertEquals(before + 1, catalogVersion());
        assertEquals(List.of(
                dir + "/lib/put.bus:1: bus operator billing catalog template --output " + dir + "/catalog.json",
                dir + "/lib/put.bus:2: bus operator billing catalog put --file " + dir + "/catalog.json",
                main + ":3: bus operator billing catalog get --format json"), r.err().lines().toList());
    }

    @Test
    void check_talks_to_no_server() throws IOException {
        Path script = write("check.bus", "operator billing catalog template --output ${DIR}/c.json\n"
                + "operator billing catalog put --file ${DIR}/c.json\n");
        long before = catalogVersion();
        Result r = BusRuns.main(env("BUS_API_URL", "http://127.0.0.1:1"), "run", "--check", script.toString());
        assertEquals(0, r.code(), r::describe);
        assertEquals(before, catalogVersion());
        assertFalse(Files.exists(dir.resolve("c.json")));
    }
}

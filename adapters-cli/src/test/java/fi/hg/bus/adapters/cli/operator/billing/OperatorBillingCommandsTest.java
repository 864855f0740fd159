package fi.hg.bus.adapters.cli.operator.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.hg.bus.adapters.cli.Cli;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.adapters.cli.testing.StubServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands against a stub server: options, environment, formats and exit codes. */
class OperatorBillingCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String MISSING = """
            {"account_id":"%s","status":"missing","features":[],"setup_required":true,"upgrade_required":false,
             "next_action":"setup_billing","command":"bus billing setup"}""".formatted(ACCOUNT);
    private static final String ACTIVE = """
            {"account_id":"%s","status":"active","features":["llm:proxy"],"provider":"local","plan_id":"llm-basic",
             "usage":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"minute","used":20000,"limit":20000,
                       "remaining":0,"exceeded":true,"upgrade_plan_id":"llm-pro","resets_at":"2026-11-23T00:01:00Z","reserved":0},
                      {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"month","used":20000,"limit":1000000,
                       "remaining":980000,"exceeded":false,"upgrade_plan_id":"llm-pro","resets_at":"2026-12-01T00:00:00Z","reserved":500}],
             "setup_required":false,"upgrade_required":true,"next_action":"upgrade_plan","command":"bus billing setup",
             "recommended_plan":"llm-pro"}""".formatted(ACCOUNT);

    private final StubServer stub = StubServer.start();
    private final Map<String, String> env = new HashMap<>(Map.of("BUS_OPERATOR_TOKEN", "op.tok.en"));
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        stub.close();
    }

    private int run(String... args) {
        Cli cli = Cli.create((file, subject, audience, scope, ttl) -> {
            throw CommandFailed.credentials("no secret in this test");
        }, env, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("operator", "billing"));
        all.addAll(List.of(args));
        return cli.run(all.toArray(String[]::new));
    }

    private int runAgainstStub(String... args) {
        env.put("BUS_API_URL", stub.url());
        return run(args);
    }

    @Test
    void status_asks_the_internal_route_for_the_account_with_the_operator_token() {
        stub.answer(200, MISSING);
        assertEquals(0, runAgainstStub("status", "--account", ACCOUNT.toUpperCase()), err::toString);
        assertEquals("/api/internal/billing/accounts/" + ACCOUNT + "/status", stub.last().path());
        assertEquals("Bearer op.tok.en", stub.last().header("Authorization"));
    }

    @Test
    void status_of_a_missing_account_says_so_and_gives_the_next_command() {
        stub.answer(200, MISSING);
        assertEquals(0, runAgainstStub("status", "--account", ACCOUNT));
        String text = out.toString();
        assertTrue(text.contains("Status    missing"), text);
        assertTrue(text.contains("Plan      none"), text);
        assertTrue(text.contains("Billing is not set up for this account."), text);
        assertTrue(text.contains("`bus billing setup`"), text);
        assertEquals("", err.toString());
    }

    @Test
    void status_shows_each_quota_window_with_used_limit_and_reset() {
        stub.answer(200, ACTIVE);
        assertEquals(0, runAgainstStub("status", "--account", ACCOUNT));
        String text = out.toString();
        assertTrue(text.contains("Status    active (provider local)"), text);
        assertTrue(text.contains("Plan      llm-basic"), text);
        assertTrue(text.contains("Features  llm:proxy"), text);
        assertTrue(text.contains("[####################]  20000/20000"), text);
        assertTrue(text.contains("resets 2026-11-23T00:01:00Z  EXCEEDED, upgrade: llm-pro"), text);
        assertTrue(text.contains("20000/1000000 (+500 reserved)"), text);
        assertTrue(text.contains("recommended plan: llm-pro"), text);
    }

    @Test
    void format_json_prints_the_servers_json() throws IOException {
        stub.answer(200, ACTIVE);
        assertEquals(0, runAgainstStub("status", "--account", ACCOUNT, "--format", "json"));
        assertEquals(JSON.readTree(ACTIVE), JSON.readTree(out.toString()));
    }

    @Test
    void api_url_takes_a_module_base_and_wins_over_the_environment() {
        env.put("BUS_API_URL", "http://127.0.0.1:1");
        stub.answer(200, MISSING);
        assertEquals(0, run("status", "--account", ACCOUNT, "--api-url", stub.url() + "/api/v1/billing/"), err::toString);
        assertEquals("/api/internal/billing/accounts/" + ACCOUNT + "/status", stub.last().path());
    }

    @Test
    void bus_api_url_may_be_a_module_base_too() {
        env.put("BUS_API_URL", stub.url() + "/api/internal/billing");
        stub.answer(200, "{\"version\":0,\"products\":[],\"meters\":[],\"plans\":[]}");
        assertEquals(0, run("catalog", "get"), err::toString);
        assertEquals("/api/internal/billing/catalog", stub.last().path());
        assertTrue(out.toString().contains("No catalog is stored yet"), out::toString);
    }

    @Test
    void a_bad_api_url_is_a_usage_error() {
        assertEquals(ExitCodes.USAGE, run("status", "--account", ACCOUNT, "--api-url", "ftp://example.com"));
        assertTrue(err.toString().contains("--api-url must be an http:// or https:// URL"), err::toString);
    }

    @Test
    void a_bad_bus_api_url_is_a_usage_error_naming_the_variable() {
        env.put("BUS_API_URL", "127.0.0.1:8080");
        assertEquals(ExitCodes.USAGE, run("catalog", "get"));
        assertTrue(err.toString().contains("BUS_API_URL"), err::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5x", "0s", "", "2d"})
    void a_bad_timeout_is_a_usage_error(String timeout) {
        assertEquals(ExitCodes.USAGE, runAgainstStub("catalog", "get", "--timeout", timeout));
        assertTrue(err.toString().contains("--timeout"), err::toString);
        assertTrue(stub.requests().isEmpty());
    }

    @Test
    void usage_errors_come_before_missing_credentials() {
        env.clear();
        assertEquals(ExitCodes.USAGE, run("catalog", "get", "--api-url", "nope"));
    }

    @Test
    void a_bad_format_an_unknown_option_or_a_missing_command_is_a_usage_error() {
        assertEquals(ExitCodes.USAGE, runAgainstStub("catalog", "get", "--format", "yaml"));
        assertTrue(err.toString().contains("must be text or json"), err::toString);
        assertEquals(ExitCodes.USAGE, runAgainstStub("catalog", "get", "--bogus"));
        assertEquals(ExitCodes.USAGE, runAgainstStub("status"));
        assertEquals(ExitCodes.USAGE, runAgainstStub("status", "--account", "not-a-uuid"));
        assertEquals(ExitCodes.USAGE, runAgainstStub("status", "--account", "1-1-1-1-1"));
        assertEquals(ExitCodes.USAGE, runAgainstStub());
        assertEquals(ExitCodes.USAGE, runAgainstStub("catalog"));
        assertEquals(ExitCodes.USAGE, runAgainstStub("catalog", "put"));
        assertTrue(stub.requests().isEmpty());
    }

    @Test
    void no_token_is_exit_3_with_how_to_get_one() {
        env.remove("BUS_OPERATOR_TOKEN");
        assertEquals(ExitCodes.CREDENTIALS, runAgainstStub("catalog", "get"));
        assertTrue(err.toString().contains("bus operator token --format token issue --local"), err::toString);
        assertTrue(err.toString().contains("billing:read billing:catalog:read billing:catalog:write"), err::toString);
        assertTrue(stub.requests().isEmpty());
    }

    @Test
    void the_token_file_comes_before_the_environment() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "file.tok.en\n");
        env.put("BUS_INTERNAL_TOKEN", "internal.tok.en");
        runAgainstStub("catalog", "get", "--token-file", file.toString());
        assertEquals("Bearer file.tok.en", stub.last().header("Authorization"));
        env.remove("BUS_OPERATOR_TOKEN");
        runAgainstStub("catalog", "get");
        assertEquals("Bearer internal.tok.en", stub.last().header("Authorization"));
    }

    @Test
    void the_template_is_a_catalog_with_two_plans_and_needs_no_server_nor_token() throws IOException {
        env.clear();
        assertEquals(0, run("catalog", "template"));
        JsonNode template = JSON.readTree(out.toString());
        assertEquals(List.of("llm-basic", "llm-pro"),
                List.of(template.path("plans").get(0).path("id").asText(), template.path("plans").get(1).path("id").asText()));
        List<String> windows = new ArrayList<>();
        template.path("plans").get(0).path("quotas").forEach(q -> windows.add(q.path("window").asText()));
        assertEquals(List.of("minute", "month"), windows);
    }

    @Test
    void output_writes_the_result_to_a_file_and_quiet_prints_nothing() throws IOException {
        Path file = dir.resolve("catalog.json");
        assertEquals(0, run("catalog", "template", "--output", file.toString()));
        assertEquals("", out.toString());
        assertEquals(JSON.readTree(CatalogTemplateCommand.TEMPLATE), JSON.readTree(Files.readString(file)));
        stub.answer(200, MISSING);
        assertEquals(0, runAgainstStub("status", "--account", ACCOUNT, "--quiet"));
        assertEquals("", out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void catalog_get_shows_plans_with_prices_and_quotas() throws IOException {
        JsonNode catalog = JSON.readTree(CatalogTemplateCommand.TEMPLATE);
        ((com.fasterxml.jackson.databind.node.ObjectNode) catalog).put("version", 3).put("created_at", "2026-11-22T10:00:00Z");
        stub.answer(200, catalog.toString());
        assertEquals(0, runAgainstStub("catalog", "get"));
        String text = out.toString();
        assertTrue(text.startsWith("Catalog version 3, stored 2026-11-22T10:00:00Z"), text);
        assertTrue(text.contains("  llm-basic  LLM Basic  (product llm)"), text);
        assertTrue(text.contains("10.00 EUR per month"), text);
        assertTrue(text.contains("50.00 EUR per month"), text);
        assertTrue(text.contains("llm:proxy bus_llm_tokens: 20000 per minute (upgrade: llm-pro)"), text);
        assertTrue(text.contains("price_lookup_key=llm-basic-monthly"), text);
    }

    @Test
    void catalog_put_sends_the_file_without_the_read_only_fields_of_get() throws IOException {
        Path file = Files.writeString(dir.resolve("c.json"),
                "{\"version\":7,\"created_at\":\"2026-01-01T00:00:00Z\",\"products\":[],\"meters\":[],\"plans\":[],\"x\":1.50}");
        stub.answer(200, "{\"version\":8,\"products\":[],\"meters\":[],\"plans\":[]}");
        assertEquals(0, runAgainstStub("catalog", "put", "--file", file.toString()), err::toString);
        assertEquals("PUT", stub.last().method());
        assertEquals("/api/internal/billing/catalog", stub.last().path());
        assertEquals("{\"products\":[],\"meters\":[],\"plans\":[],\"x\":1.50}", stub.last().body());
        assertEquals("Stored catalog version 8: 0 products, 0 meters, 0 plans." + System.lineSeparator(), out.toString());
    }

    @Test
    void catalog_put_prints_every_problem_on_a_line_and_exits_1() throws IOException {
        Path file = Files.writeString(dir.resolve("c.json"), "{}");
        stub.answer(400, """
                {"error":{"type":"bad_request","message":"invalid catalog: a: bad; b: worse","problems":["a: bad","b: worse"]}}""");
        assertEquals(ExitCodes.FAILURE, runAgainstStub("catalog", "put", "--file", file.toString()));
        List<String> lines = err.toString().lines().toList();
        assertEquals(List.of("bus: invalid catalog (2 problems):", "a: bad", "b: worse"), lines);
        assertEquals("", out.toString());
    }

    @Test
    void a_file_that_is_missing_or_not_a_json_object_is_refused_before_any_request() throws IOException {
        assertEquals(ExitCodes.FAILURE, runAgainstStub("catalog", "put", "--file", dir.resolve("nope.json").toString()));
        assertTrue(err.toString().contains("no such file"), err::toString);
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"plans\": [\n  {\"id\": }\n]}");
        assertEquals(ExitCodes.FAILURE, runAgainstStub("catalog", "put", "--file", broken.toString()));
        assertTrue(err.toString().contains("is not valid JSON") && err.toString().contains("line 2"), err::toString);
        Path array = Files.writeString(dir.resolve("array.json"), "[]");
        assertEquals(ExitCodes.FAILURE, runAgainstStub("catalog", "put", "--file", array.toString()));
        Path twice = Files.writeString(dir.resolve("twice.json"), "{\"plans\":[],\"plans\":[]}");
        assertEquals(ExitCodes.FAILURE, runAgainstStub("catalog", "put", "--file", twice.toString()));
        assertTrue(stub.requests().isEmpty());
    }

    @Test
    void server_refusals_of_the_token_are_exit_3() {
        stub.answer(403, "{\"error\":{\"type\":\"forbidden\",\"message\":\"the token lacks the scope billing:catalog:write\"}}");
        assertEquals(ExitCodes.CREDENTIALS, runAgainstStub("catalog", "get"));
        assertTrue(err.toString().contains("billing:catalog:write"), err::toString);
        assertFalse(err.toString().contains("op.tok.en"), "the token is never printed");
    }
}

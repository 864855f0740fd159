package fi.hg.bus.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.Main;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.config.ServeConfig;
import fi.hg.bus.app.serve.BusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bus operator billing …} run in-process through {@link Main#run} against a real server on
 * a fresh database, with real tokens minted by {@code bus operator token issue --local}.
 */
class OperatorBillingCliTest {

    private static final String SECRET = "operator-cli-test-secret-0123456789-abcdefghij";
    private static final String SCOPES = "billing:read billing:catalog:read billing:catalog:write";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DatabaseUrl database;
    private static BusServer server;
    private static String api;
    private static String operatorToken;

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        String describe() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    @BeforeAll
    static void startServer() {
        database = TestDatabases.create();
        server = BusServer.start(ServeConfig.read(new Env(Map.of(
                "BUS_DATABASE_URL", envUrl(database),
                "BUS_AUTH_HS256_SECRET", SECRET)), "127.0.0.1:0", null), Clock.systemUTC());
        api = "http://127.0.0.1:" + server.port();
        operatorToken = token("ai.hg.fi/internal", SCOPES);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            TestDatabases.drop(database);
        }
    }

    /** BUS_DATABASE_URL for a test database: the JDBC form, with the user and password as parameters. */
    private static String envUrl(DatabaseUrl url) {
        StringBuilder b = new StringBuilder(url.jdbcUrl());
        char sep = url.jdbcUrl().contains("?") ? '&' : '?';
        if (url.user() != null) {
            b.append(sep).append("user=").append(URLEncoder.encode(url.user(), StandardCharsets.UTF_8));
            sep = '&';
        }
        if (url.password() != null) {
            b.append(sep).append("password=").append(URLEncoder.encode(url.password(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private static Result main(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Env(env), args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** A token minted the way an operator does: {@code bus operator token --format token issue --local}. */
    private static String token(String audience, String scope) {
        Result r = main(Map.of("BUS_AUTH_HS256_SECRET", SECRET), "operator", "token", "--format", "token", "issue",
                "--local", "--subject", "operator-cli-test", "--audience", audience, "--scope", scope, "--ttl", "10m");
        assertEquals(0, r.code(), r::describe);
        return r.out().strip();
    }

    /** {@code bus operator billing ARGS} with BUS_API_URL and BUS_OPERATOR_TOKEN set to the test server's. */
    private static Result billing(String... args) {
        return billingWith(Map.of("BUS_API_URL", api, "BUS_OPERATOR_TOKEN", operatorToken), args);
    }

    private static Result billingWith(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("operator", "billing"));
        all.addAll(List.of(args));
        return main(env, all.toArray(String[]::new));
    }

    private Path template() throws IOException {
        Path file = dir.resolve("catalog.json");
        Result r = billingWith(Map.of(), "catalog", "template", "--output", file.toString());
        assertEquals(0, r.code(), r::describe);
        assertEquals("", r.out());
        return file;
    }

    private static long storedVersion() throws IOException {
        Result r = billing("catalog", "get", "--format", "json");
        assertEquals(0, r.code(), r::describe);
        return JSON.readTree(r.out()).path("version").asLong();
    }

    @Test
    void the_template_is_accepted_by_put_and_comes_back_from_get() throws IOException {
        Path file = template();
        JsonNode template = JSON.readTree(Files.readString(file));

        Result put = billing("catalog", "put", "--file", file.toString());
        assertEquals(0, put.code(), put::describe);
        assertTrue(put.out().matches("Stored catalog version \\d+: 1 product, 1 meter, 2 plans\\.\\R"), put::describe);
        assertEquals("", put.err());

        Result get = billing("catalog", "get", "--format", "json");
        assertEquals(0, get.code(), get::describe);
        JsonNode stored = JSON.readTree(get.out());
        assertTrue(stored.path("version").asLong() >= 1, get::describe);
        for (String part : List.of("products", "meters", "plans")) {
            assertEquals(template.path(part), stored.path(part), part);
        }

        Result text = billing("catalog", "get");
        assertEquals(0, text.code(), text::describe);
        assertTrue(text.out().contains("llm-basic  LLM Basic  (product llm)"), text::describe);
        assertTrue(text.out().contains("llm-pro  LLM Pro  (product llm)"), text::describe);
        assertTrue(text.out().contains("10.00 EUR per month"), text::describe);
        assertTrue(text.out().contains("llm:proxy bus_llm_tokens: 20000 per minute (upgrade: llm-pro)"), text::describe);
        assertTrue(text.out().contains("llm:proxy bus_llm_tokens: 10000000 per month"), text::describe);
    }

    @Test
    void what_get_prints_as_json_can_be_put_back() throws IOException {
        assertEquals(0, billing("catalog", "put", "--file", template().toString()).code());
        Path got = dir.resolve("got.json");
        Result get = billing("catalog", "get", "--format", "json", "--output", got.toString());
        assertEquals(0, get.code(), get::describe);
        assertEquals("", get.out(), "--output writes the file instead of stdout");
        long before = JSON.readTree(Files.readString(got)).path("version").asLong();

        Result put = billing("catalog", "put", "--file", got.toString(), "--format", "json");
        assertEquals(0, put.code(), put::describe);
        assertTrue(JSON.readTree(put.out()).path("version").asLong() > before, put::describe);
    }

    @Test
    void an_invalid_catalog_prints_every_problem_and_keeps_the_previous_one() throws IOException {
        assertEquals(0, billing("catalog", "put", "--file", template().toString()).code());
        long before = storedVersion();
        Path bad = Files.writeString(dir.resolve("bad.json"), """
                {"products":[{"id":"llm"}],
                 "meters":[{"name":"bus_llm_tokens"}],
                 "plans":[{"id":"p1","product_id":"nope","colour":"red",
                           "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"fortnight","limit":5},
                                     {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"day","limit":0}]}]}
                """);
        Result r = billing("catalog", "put", "--file", bad.toString());
        assertEquals(1, r.code(), r::describe);
        assertEquals("", r.out());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.getFirst().matches("bus: invalid catalog \\(\\d+ problems\\):"), r::describe);
        int count = Integer.parseInt(lines.getFirst().replaceAll("\\D", ""));
        assertEquals(count, lines.size() - 1, r::describe);
        for (String problem : List.of(
                "plans[0].colour: unknown field",
                "plans[0].product_id: no product \"nope\"",
                "plans[0].quotas[0].window: unknown window \"fortnight\" (minute, hour, day, week, month or total)",
                "plans[0].quotas[1].limit: must be a positive integer")) {
            assertTrue(lines.contains(problem), () -> "missing line: " + problem + "\n" + r.describe());
        }
        assertEquals(before, storedVersion(), "the previous catalog stays active");
    }

    @Test
    void status_of_an_unknown_account_says_missing_and_how_to_set_up_billing() {
        String account = UUID.randomUUID().toString();
        Result r = billing("status", "--account", account);
        assertEquals(0, r.code(), r::describe);
        assertTrue(r.out().contains("Account   " + account), r::describe);
        assertTrue(r.out().contains("Status    missing"), r::describe);
        assertTrue(r.out().contains("Billing is not set up for this account."), r::describe);
        assertTrue(r.out().contains("Next: the account holder runs `bus billing setup`."), r::describe);
        assertEquals("", r.err());
    }

    @Test
    void status_of_an_active_account_shows_each_quota_window() throws Exception {
        assertEquals(0, billing("catalog", "put", "--file", template().toString()).code());
        String account = UUID.randomUUID().toString();
        String update = """
                {"event_id":"%s","account_id":"%s","provider":"local","status":"active","plan_id":"llm-basic","features":["llm:proxy"]}"""
                .formatted(UUID.randomUUID(), account);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/api/internal/billing/subscription-updates"))
                    .header("Authorization", "Bearer " + token("ai.hg.fi/internal", "billing:subscriptions:write"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(update)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response::body);
        }
        Result r = billing("status", "--account", account);
        assertEquals(0, r.code(), r::describe);
        assertTrue(r.out().contains("Status    active (provider local)"), r::describe);
        assertTrue(r.out().contains("Plan      llm-basic"), r::describe);
        assertTrue(r.out().contains("Features  llm:proxy"), r::describe);
        assertTrue(r.out().matches("(?s).*llm:proxy bus_llm_tokens +minute +\\[\\.{20}] +0/20000 +resets \\S+Z.*"), r::describe);
        assertTrue(r.out().matches("(?s).*llm:proxy bus_llm_tokens +month +\\[\\.{20}] +0/1000000 +resets \\S+Z.*"), r::describe);
        assertFalse(r.out().contains("Next:"), r::describe);

        Result json = billing("status", "--account", account, "--format", "json");
        assertEquals(0, json.code(), json::describe);
        JsonNode status = JSON.readTree(json.out());
        assertEquals(account, status.path("account_id").asText());
        assertEquals(2, status.path("usage").size());
    }

    @Test
    void format_json_prints_parseable_json() throws IOException {
        String account = UUID.randomUUID().toString();
        Result r = billing("status", "--account", account, "--format", "json");
        assertEquals(0, r.code(), r::describe);
        JsonNode status = JSON.readTree(r.out());
        assertEquals("missing", status.path("status").asText());
        assertTrue(status.path("setup_required").asBoolean());
    }

    @Test
    void quiet_prints_nothing_and_output_writes_the_file() throws IOException {
        String account = UUID.randomUUID().toString();
        Result quiet = billing("status", "--account", account, "--quiet");
        assertEquals(new Result(0, "", ""), quiet);
        Path file = dir.resolve("status.txt");
        Result written = billing("status", "--account", account, "--output", file.toString());
        assertEquals(new Result(0, "", ""), written);
        assertTrue(Files.readString(file).contains("Status    missing"));
    }

    @Test
    void the_token_file_and_bus_internal_token_are_used_too() throws IOException {
        Path file = Files.writeString(dir.resolve("operator.token"), operatorToken + "\n");
        Result fromFile = billingWith(Map.of("BUS_API_URL", api), "catalog", "get", "--token-file", file.toString());
        assertEquals(0, fromFile.code(), fromFile::describe);
        Result internal = billingWith(Map.of("BUS_API_URL", api, "BUS_INTERNAL_TOKEN", operatorToken), "catalog", "get");
        assertEquals(0, internal.code(), internal::describe);
    }

    @Test
    void no_token_is_exit_3_with_how_to_issue_one() {
        Result r = billingWith(Map.of("BUS_API_URL", api), "catalog", "get");
        assertEquals(3, r.code(), r::describe);
        assertTrue(r.err().contains("bus operator token --format token issue --local --subject operator --scope \""
                + SCOPES + "\""), r::describe);
        assertEquals("", r.out());
    }

    @Test
    void a_token_without_the_scope_or_for_another_audience_is_exit_3() {
        Result wrongScope = billingWith(Map.of("BUS_API_URL", api, "BUS_OPERATOR_TOKEN", token("ai.hg.fi/internal", "billing:read")),
                "catalog", "get");
        assertEquals(3, wrongScope.code(), wrongScope::describe);
        assertTrue(wrongScope.err().contains("forbidden"), wrongScope::describe);
        Result wrongAudience = billingWith(Map.of("BUS_API_URL", api, "BUS_OPERATOR_TOKEN", token("ai.hg.fi/api", SCOPES)),
                "status", "--account", UUID.randomUUID().toString());
        assertEquals(3, wrongAudience.code(), wrongAudience::describe);
        Result garbage = billingWith(Map.of("BUS_API_URL", api, "BUS_OPERATOR_TOKEN", "not.a.token"), "catalog", "get");
        assertEquals(3, garbage.code(), garbage::describe);
        assertTrue(garbage.err().contains("invalid_auth"), garbage::describe);
    }

    @Test
    void an_unreachable_server_is_exit_1_naming_the_url() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        Result r = billing("catalog", "get", "--api-url", url + "/api/internal/billing", "--timeout", "5s");
        assertEquals(1, r.code(), r::describe);
        assertTrue(r.err().contains(url + "/api/internal/billing/catalog"), r::describe);
        assertTrue(r.err().contains("connection refused"), r::describe);
    }

    @Test
    void the_api_url_may_be_a_module_base() {
        Result r = billingWith(Map.of("BUS_API_URL", api + "/api/v1/billing", "BUS_OPERATOR_TOKEN", operatorToken),
                "status", "--account", UUID.randomUUID().toString());
        assertEquals(0, r.code(), r::describe);
    }

    @Test
    void bad_options_are_usage_errors() {
        String account = UUID.randomUUID().toString();
        for (String[] args : List.of(
                new String[]{"status", "--account", account, "--api-url", "ftp://127.0.0.1"},
                new String[]{"status", "--account", account, "--api-url", "127.0.0.1:8080"},
                new String[]{"status", "--account", account, "--timeout", "soon"},
                new String[]{"status", "--account", account, "--timeout", "0s"},
                new String[]{"status", "--account", account, "--format", "xml"},
                new String[]{"status", "--account", account, "--verbose"},
                new String[]{"status", "--account", "42"},
                new String[]{"status"},
                new String[]{"catalog", "put"},
                new String[]{"catalog", "frobnicate"},
                new String[]{})) {
            Result r = billing(args);
            assertEquals(2, r.code(), () -> String.join(" ", args) + "\n" + r.describe());
            assertTrue(r.err().startsWith("bus: "), r::describe);
            assertEquals("", r.out());
        }
    }

    @Test
    void help_is_exit_0_on_stdout() {
        Result r = billing("catalog", "put", "--help");
        assertEquals(0, r.code(), r::describe);
        assertTrue(r.out().contains("--file=FILE"), r::describe);
    }
}

package fi.hg.bus.app.billing;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.Main;
import fi.hg.bus.app.config.Env;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bus billing setup} and {@code bus billing portal}, run in-process against a real server. */
class BillingCliTest {

    private static BillingServers server;

    @TempDir
    Path config;

    @BeforeAll
    static void start() {
        server = BillingServers.start(Map.of());
        server.putCatalog(BillingServers.CATALOG);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Run(int code, String out, String err) {
    }

    private Run bus(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("BUS_CONFIG_DIR", config.toString());
        env.put("BUS_API_URL", server.base());
        env.putAll(extraEnv);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Env(env), args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Run bus(String... args) {
        return bus(Map.of(), args);
    }

    private void saveToken(String token) throws IOException {
        Files.createDirectories(config.resolve("auth"));
        Files.writeString(config.resolve("auth").resolve("api-token"), token + "\n");
    }

    @Test
    void setup_prints_the_url_of_the_hosted_checkout() throws IOException {
        UUID account = UUID.randomUUID();
        saveToken(server.user(account, "billing:read billing:setup"));

        Run run = bus("billing", "setup", "--return-url", "https://app.example.com/done", "--feature", "llm:proxy");
        Run again = bus("billing", "setup", "--return-url", "https://app.example.com/done", "--feature", "llm:proxy");

        assertEquals(0, run.code(), run.err());
        String url = run.out().strip();
        assertTrue(url.startsWith(server.base() + "/billing/local/checkout/"), url);
        assertEquals(url, again.out().strip(), "the same request, the same URL");
        assertEquals(200, server.get(url, null).status());
        assertEquals("", run.err());
    }

    @Test
    void portal_prints_the_url_of_the_portal_and_json_on_request() throws IOException {
        UUID account = UUID.randomUUID();
        saveToken(server.user(account, "billing:read billing:setup"));

        Run run = bus("billing", "portal", "--format", "json");

        assertEquals(0, run.code(), run.err());
        JsonNode json = BillingServers.JSON.readTree(run.out());
        assertEquals("local", json.get("provider").asText());
        assertTrue(json.get("url").asText().contains("/billing/local/portal/"));
        assertEquals("", bus("billing", "portal", "--quiet").out());
    }

    @Test
    void without_a_token_or_with_a_bad_one_the_command_says_how_to_get_one_and_exits_3() throws IOException {
        Run none = bus("billing", "setup");
        assertEquals(3, none.code());
        assertTrue(none.err().contains("bus auth token --scope \"billing:read billing:setup\""), none.err());

        saveToken("not-a-jwt");
        Run bad = bus("billing", "portal");
        assertEquals(3, bad.code(), bad.err());
        assertTrue(bad.err().contains("bus auth token --scope \"billing:read billing:setup\""), bad.err());

        saveToken(server.user(UUID.randomUUID(), "billing:read"));
        Run lacking = bus("billing", "setup");
        assertEquals(3, lacking.code(), lacking.err());
        assertTrue(lacking.err().contains("billing:setup"), lacking.err());

        saveToken("two words");
        assertEquals(3, bus("billing", "setup").code());
    }

    @Test
    void a_bad_return_url_or_unknown_plan_is_refused_with_the_reason() throws IOException {
        saveToken(server.user(UUID.randomUUID(), "billing:read billing:setup"));

        Run js = bus("billing", "setup", "--return-url", "javascript:alert(1)");
        Run relative = bus("billing", "portal", "--return-url", "/back");
        Run plan = bus("billing", "setup", "--plan", "llm-gold");
        Run extra = bus("billing", "setup", "extra-argument");

        assertEquals(2, js.code());
        assertTrue(js.err().contains("--return-url"), js.err());
        assertEquals(2, relative.code());
        assertEquals(1, plan.code());
        assertTrue(plan.err().contains("no plan \"llm-gold\""), plan.err());
        assertEquals(2, extra.code());
        assertEquals(2, bus("billing").code(), "a command is required");
    }

    @Test
    void the_server_being_away_is_a_failure_with_the_address() throws IOException {
        saveToken(server.user(UUID.randomUUID(), "billing:read billing:setup"));

        Run run = bus(Map.of("BUS_API_URL", "http://127.0.0.1:1"), "billing", "setup", "--timeout", "2s");

        assertEquals(1, run.code());
        assertTrue(run.err().contains("127.0.0.1:1"), run.err());
        assertFalse(run.err().contains("eyJ"), "the token is never shown");
    }
}

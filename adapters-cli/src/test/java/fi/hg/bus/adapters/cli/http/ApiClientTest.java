package fi.hg.bus.adapters.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.adapters.cli.testing.StubServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only endpoints that are not a Bus server are simulated here (a wrong --api-url, proxies, hangs); the
 * client against the real server is tested in app (OperatorBillingCliTest). */
class ApiClientTest {

    private static final String HINT = "issue a token with: bus operator token issue";
    private final StubServer stub = StubServer.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    private ApiClient client(String token) {
        return new ApiClient(ApiUrl.parse(stub.url() + "/api/v1/billing"), token, Duration.ofSeconds(5), HINT);
    }

    private CommandFailed failure(Consumer<ApiClient> call) {
        try (ApiClient c = client("tok.en.x")) {
            return assertThrows(CommandFailed.class, () -> call.accept(c));
        }
    }

    @Test
    void answers_that_are_not_bus_answers_are_failures_naming_the_url() {
        stub.answer(200, "<html>hello</html>", "text/html");
        CommandFailed e = failure(c -> c.get("/x"));
        assertEquals(ExitCodes.FAILURE, e.exitCode());
        assertTrue(e.getMessage().contains("not JSON") && e.getMessage().contains(stub.url()), e.getMessage());
        stub.answer(404, "Not Found", "text/plain");
        e = failure(c -> c.get("/x"));
        assertEquals(ExitCodes.FAILURE, e.exitCode());
        assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains(stub.url() + "/x"), e.getMessage());
        stub.answer(404, "{\"error\":{\"type\":\"not_found\",\"message\":\"no such route\"}}");
        e = failure(c -> c.get("/x"));
        assertTrue(e.getMessage().contains("404 not_found: no such route"), e.getMessage());
    }

    @Test
    void redirects_are_not_followed() {
        stub.answer(302, "").headers(Map.of("Location", "https://elsewhere.example/"));
        CommandFailed e = failure(c -> c.get("/x"));
        assertEquals(ExitCodes.FAILURE, e.exitCode());
        assertTrue(e.getMessage().contains("redirected") && e.getMessage().contains("https://elsewhere.example/"), e.getMessage());
        assertEquals(1, stub.requests().size());
    }

    @Test
    void control_characters_from_the_server_never_reach_the_terminal() {
        stub.answer(400, "{\"error\":{\"type\":\"bad_request\",\"message\":\"bad\\u001b[31m red\\nline\"}}");
        CommandFailed e = failure(c -> c.get("/x"));
        assertFalse(e.getMessage().chars().anyMatch(Character::isISOControl), e.getMessage());
    }

    @Test
    void a_refused_connection_is_a_failure_naming_the_url() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (ApiClient c = new ApiClient(ApiUrl.parse("http://127.0.0.1:" + port), "t", Duration.ofSeconds(5), HINT)) {
            CommandFailed e = assertThrows(CommandFailed.class, () -> c.get("/api/internal/billing/catalog"));
            assertEquals(ExitCodes.FAILURE, e.exitCode());
            assertTrue(e.getMessage().startsWith("cannot connect to http://127.0.0.1:" + port
                    + "/api/internal/billing/catalog: connection refused"), e.getMessage());
        }
    }

    @Test
    void a_host_that_does_not_resolve_is_named() {
        try (ApiClient c = new ApiClient(ApiUrl.parse("http://bus.invalid"), "t", Duration.ofSeconds(5), HINT)) {
            CommandFailed e = assertThrows(CommandFailed.class, () -> c.get("/x"));
            assertEquals(ExitCodes.FAILURE, e.exitCode());
            assertTrue(e.getMessage().contains("http://bus.invalid/x"), e.getMessage());
        }
    }

    @Test
    void no_answer_within_the_timeout_is_a_failure_naming_the_timeout() {
        stub.delay(10_000);
        try (ApiClient c = new ApiClient(ApiUrl.parse(stub.url()), "t", Duration.ofMillis(300), HINT)) {
            CommandFailed e = assertThrows(CommandFailed.class, () -> c.get("/slow"));
            assertEquals(ExitCodes.FAILURE, e.exitCode());
            assertTrue(e.getMessage().contains("within 300ms") && e.getMessage().contains(stub.url() + "/slow"), e.getMessage());
        }
    }
}

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
    void a_get_sends_the_bearer_token_to_the_origin_and_returns_the_json() {
        stub.answer(200, "{\"ok\":true,\"n\":12345678901234567890}");
        try (ApiClient c = client("tok.en.x")) {
            JsonNode answer = c.get("/api/internal/billing/catalog");
            assertTrue(answer.path("ok").asBoolean());
            assertEquals("12345678901234567890", answer.path("n").asText(), "numbers are kept exactly");
        }
        StubServer.Request r = stub.last();
        assertEquals("GET", r.method());
        assertEquals("/api/internal/billing/catalog", r.path());
        assertEquals("Bearer tok.en.x", r.header("Authorization"));
        assertEquals("application/json", r.header("Accept"));
    }

    @Test
    void a_put_sends_its_json_body() {
        stub.answer(200, "{}");
        try (ApiClient c = client("tok.en.x")) {
            c.put("/x", "{\"a\":1}");
        }
        assertEquals("PUT", stub.last().method());
        assertEquals("{\"a\":1}", stub.last().body());
        assertEquals("application/json", stub.last().header("Content-Type"));
    }

    @Test
    void without_a_token_no_authorization_header_is_sent() {
        try (ApiClient c = client(null)) {
            c.get("/x");
        }
        assertNull(stub.last().header("Authorization"));
    }

    @Test
    void a_400_lists_every_problem_on_a_line_of_its_own_without_repeating_them() {
        stub.answer(400, """
                {"error":{"type":"bad_request","message":"invalid catalog: plans[0].id: is required; meters[0].name: is required",
                 "problems":["plans[0].id: is required","meters[0].name: is required"]}}""");
        CommandFailed e = failure(c -> c.put("/x", "{}"));
        assertEquals(ExitCodes.FAILURE, e.exitCode());
        assertEquals(String.join(System.lineSeparator(), "invalid catalog (2 problems):",
                "plans[0].id: is required", "meters[0].name: is required"), e.getMessage());
    }

    @Test
    void a_400_without_problems_shows_the_servers_message() {
        stub.answer(400, "{\"error\":{\"type\":\"bad_request\",\"message\":\"account_id: must be a UUID\"}}");
        CommandFailed e = failure(c -> c.get("/x"));
        assertEquals(ExitCodes.FAILURE, e.exitCode());
        assertEquals("account_id: must be a UUID", e.getMessage());
    }

    @Test
    void a_401_or_403_is_a_credentials_failure_with_the_hint() {
        stub.answer(401, "{\"error\":{\"type\":\"invalid_auth\",\"message\":\"token expired\"}}");
        CommandFailed e = failure(c -> c.get("/x"));
        assertEquals(ExitCodes.CREDENTIALS, e.exitCode());
        assertTrue(e.getMessage().contains("token expired") && e.getMessage().contains(HINT), e.getMessage());
        stub.answer(403, "{\"error\":{\"type\":\"forbidden\",\"message\":\"missing scope billing:read\"}}");
        e = failure(c -> c.get("/x"));
        assertEquals(ExitCodes.CREDENTIALS, e.exitCode());
        assertTrue(e.getMessage().contains("missing scope billing:read") && e.getMessage().contains(HINT), e.getMessage());
        assertFalse(e.getMessage().contains("tok.en.x"), "the token is never printed");
    }

    @Test
    void billing_required_and_rate_limits_are_refusals() {
        stub.answer(402, "{\"error\":{\"type\":\"billing_required\",\"message\":\"billing is required\"}}");
        assertEquals(ExitCodes.REFUSED, failure(c -> c.get("/x")).exitCode());
        stub.answer(429, "{\"error\":{\"type\":\"rate_limited\",\"message\":\"slow down\"}}");
        assertEquals(ExitCodes.REFUSED, failure(c -> c.get("/x")).exitCode());
    }

    @Test
    void a_503_says_storage_is_unavailable() {
        stub.answer(503, "{\"error\":{\"type\":\"storage_unavailable\",\"message\":\"usage storage is unavailable: down\"}}");
        CommandFailed e = failure(c -> c.get("/x"));
        assertEquals(ExitCodes.FAILURE, e.exitCode());
        assertTrue(e.getMessage().startsWith("the server's storage is unavailable"), e.getMessage());
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

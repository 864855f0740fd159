package fi.hg.bus.app.observe;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.e2e.TestServer;
import fi.hg.bus.app.e2e.TestServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request ids: a safe {@code X-Request-Id} is kept, anything else (too long, control characters,
 * line breaks, quotes, several headers) is replaced by a new one; the answer's header, its error
 * envelope and every log line written while answering carry the same id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestIdTest {

    private static final Pattern GENERATED = Pattern.compile("[0-9a-f]{32}");
    private static final String REGISTER = "/api/v1/auth/register";
    private static final String CODE = "/api/v1/auth/otp/request";

    private TestServer server;

    @BeforeAll
    void start() {
        DatabaseUrl database = TestDatabases.create();
        Map<String, String> env = new HashMap<>();
        env.put("BUS_DATABASE_URL", TestServer.postgresUrl(database));
        env.put("BUS_AUTH_HS256_SECRET", TestServer.SECRET);
        env.put("BUS_AUTH_OTP_SENDER", "console");
        env.put("BUS_AUTH_OTP_RATE_LIMIT", "1000/1m");
        server = TestServer.start(env, database);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String id(Response r) {
        return r.headers().firstValue("X-Request-Id").orElseThrow(() -> new AssertionError("no X-Request-Id"));
    }

    @Test
    void a_request_without_an_id_gets_a_new_one_in_its_header_and_error_envelope() {
        Response first = server.get(TestServer.USAGE, null);
        Response second = server.get(TestServer.USAGE, null);
        assertTrue(GENERATED.matcher(id(first)).matches(), id(first));
        assertNotEquals(id(first), id(second));
        first.assertError(401, "invalid_auth");
        assertEquals(id(first), first.json().get("error").get("request_id").asText());
        assertEquals(200, server.get("/healthz", null).status());
        assertTrue(GENERATED.matcher(id(server.get("/healthz", null))).matches(), "successes carry one too");
    }

    @Test
    void a_safe_incoming_id_is_kept_everywhere() {
        String incoming = "trace-" + UUID.randomUUID() + ":span/1=a+b@c";
        Response r = server.send(server.request("/no-such-route").header("X-Request-Id", incoming).GET().build());
        r.assertError(404, "not_found");
        assertEquals(incoming, id(r));
        assertEquals(incoming, r.json().get("error").get("request_id").asText());
        String longest = "a".repeat(128);
        assertEquals(longest, id(server.send(server.request("/healthz").header("X-Request-Id", longest).GET().build())));
    }

    @Test
    void log_lines_written_while_answering_carry_the_id_in_both_formats() throws Exception {
        String email = "ids-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String incoming = "req-" + UUID.randomUUID();
        try (CapturedLogs logs = CapturedLogs.install()) {
            assertEquals(200, server.post(REGISTER, null, TestServer.json(Map.of("email", email))).status());
            Response sent = server.send(server.request(CODE).header("X-Request-Id", incoming)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(TestServer.json(Map.of("email", email)))).build());
            assertEquals(200, sent.status(), sent.body());
            assertEquals(incoming, id(sent));
            String line = logs.textRecords().stream().filter(l -> l.contains("BUS_AUTH_OTP " + email)).findFirst()
                    .orElseThrow(() -> new AssertionError("no code line in " + logs.text()));
            assertTrue(line.contains(" request_id=" + incoming + ": "), line);
            JsonNode json = logs.jsonRecords().stream().map(RequestIdTest::parse)
                    .filter(n -> n.get("message").asText().contains("BUS_AUTH_OTP " + email)).findFirst().orElseThrow();
            assertEquals(incoming, json.get("request_id").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "X-Request-Id: TOO-LONG",
            "X-Request-Id: abc\u0001def",
            "X-Request-Id: abc\u001b[31mred",
            "X-Request-Id: abc def",
            "X-Request-Id: abc\tdef",
            "X-Request-Id: abc\"},{\"forged\":\"x",
            "X-Request-Id: abc%0Aforged",
            "X-Request-Id: \u00e4\u00e4\u00e4",
            "X-Request-Id: abc\r\n forged-continuation",
            "X-Request-Id: abc\nforged: line",
            "X-Request-Id: abc\rforged",
            "X-Request-Id: one\r\nX-Request-Id: two",
            "X-Request-Id:",
    })
    void a_hostile_id_is_replaced_and_never_reaches_a_log_or_an_answer(String header) throws Exception {
        String line = header.replace("TOO-LONG", "a".repeat(129));
        String email = "hostile-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        assertEquals(200, server.post(REGISTER, null, TestServer.json(Map.of("email", email))).status());
        byte[] body = TestServer.json(Map.of("email", email)).getBytes(StandardCharsets.UTF_8);
        String head = "POST " + CODE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n" + line + "\r\n\r\n";
        byte[] request = new byte[head.length() + body.length];
        System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, request, 0, head.length());
        System.arraycopy(body, 0, request, head.length(), body.length);
        RawHttp.Answer answer;
        String text;
        String json;
        try (CapturedLogs logs = CapturedLogs.install()) {
            answer = RawHttp.send(server.port(), request);
            text = logs.text();
            json = logs.json();
            for (String record : logs.jsonRecords()) {
                parse(record);
            }
            for (String record : logs.textRecords()) {
                assertEquals(1, record.lines().count(), "one line per record: " + record);
            }
        }
        String id = answer.header("X-Request-Id");
        assertTrue(id != null && GENERATED.matcher(id).matches(), answer.toString());
        assertFalse(answer.body().contains("forged"), answer.body());
        for (String hostile : List.of("forged", "\u0001", "\u001b", "abc def", "a".repeat(129), "\u00e4", "one", "two")) {
            assertFalse(text.contains(hostile), "the text log holds " + hostile + ": " + text);
            assertFalse(json.contains(hostile), "the JSON log holds " + hostile + ": " + json);
        }
        if (answer.status() == 200) {
            assertTrue(text.contains("request_id=" + id + ": BUS_AUTH_OTP " + email), text);
        } else {
            // refused before routing: still an envelope that names the new id
            assertEquals(id, parse(answer.body()).get("error").get("request_id").asText());
        }
    }

    @Test
    void a_malformed_request_line_is_answered_with_a_new_id_in_header_and_envelope() {
        RawHttp.Answer answer = RawHttp.send(server.port(),
                "GET /a%zz HTTP/1.1\r\nHost: x\r\nX-Request-Id: kept-or-not\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(400, answer.status(), answer.toString());
        String id = answer.header("X-Request-Id");
        assertTrue(id != null && GENERATED.matcher(id).matches(), answer.toString());
        assertEquals(id, parse(answer.body()).get("error").get("request_id").asText());
    }

    static JsonNode parse(String json) {
        try {
            JsonNode node = TestServer.mapper().readTree(json);
            if (node == null || !node.isObject()) {
                throw new AssertionError("not a JSON object: " + json);
            }
            return node;
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}

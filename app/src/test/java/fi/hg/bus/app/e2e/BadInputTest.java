package fi.hg.bus.app.e2e;

import fi.hg.bus.app.e2e.TestServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static fi.hg.bus.app.e2e.TestServer.USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed and hostile input (SPEC 2 "Bad input", 3.1, 3.3): refused whole, with the fitting error. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private static final int MIB = 1024 * 1024;

    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "before=yesterday|before",
            "before=2026-05-03|before",
            "before=2026-05-03T12:00:00|before",
            "before=2026-05-03%2012:00:00Z|before",
            "before=2026-13-03T12:00:00Z|before",
            "before=0001-01-01T00:00:00%2B01:00|before",
            "before=9999-12-31T23:59:59-01:00|before",
            "before=|before",
            "page=0|page",
            "page=-1|page",
            "page=abc|page",
            "page=1.0|page",
            "page=99999999999999999999999|page",
            "page_size=0|page_size",
            "page_size=1.5|page_size",
            "page_size=-5|page_size",
            "page_size=|page_size",
            "page=1&page=2|page",
            "page_size=10&page_size=10|page_size",
            "before=2026-05-03T12:00:00Z&before=2026-05-03T12:00:00Z|before",
    })
    void aBadFeedParameterIsABadRequestNamingIt(String query, String parameter) {
        for (boolean delete : new boolean[]{false, true}) {
            Response r = delete
                    ? server.delete(USAGE + "?" + query, server.collector())
                    : server.get(USAGE + "?" + query, server.collector());
            String message = r.assertError(400, "bad_request");
            assertTrue(message.contains(parameter), message);
            if (parameter.equals("page")) {
                assertFalse(message.contains("page_size"), message);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"event_type\":|",
            "{\"event_type\":\"usage_recorded\"} x|",
            "{\"event_type\":\"usage_recorded\"}{}|",
            "{\"event_type\":\"usage_recorded\"},|",
            "[{\"event_type\":\"usage_recorded\"}]|",
            "\"usage_recorded\"|",
            "null|",
            "{\"event_type\":\"usage_recorded\",\"event_type\":\"usage_recorded\"}|",
            "{\"event_type\":'usage_recorded'}|",
            "{\"event_type\":12}|event_type",
            "{}|event_type",
            "{\"event_type\":null}|event_type",
            "{\"event_type\":\"usage_recorded\",\"data\":[1,2]}|data",
            "{\"event_type\":\"usage_recorded\",\"data\":\"{}\"}|data",
            "{\"event_type\":\"usage_recorded\",\"account_id\":\"not-a-uuid\"}|account_id",
            "{\"event_type\":\"usage_recorded\",\"account_id\":\"0000000000004000800000000000000a\"}|account_id",
            "{\"event_type\":\"usage_recorded\",\"account_id\":7}|account_id",
            "{\"event_type\":\"usage_exploded\"}|event_type",
            "{\"event_type\":\"USAGE_RECORDED\"}|event_type",
            "{\"event_type\":\"usage_recorded\",\"tokens\":5}|tokens",
            "{\"event_type\":\"usage_recorded\",\"occurred_at\":\"yesterday\"}|occurred_at",
            "{\"event_type\":\"usage_recorded\",\"occurred_at\":1714737600}|occurred_at",
            "{\"event_type\":\"usage_recorded\",\"occurred_at\":\"0001-01-01T00:00:00+01:00\"}|occurred_at",
            "{\"event_type\":\"usage_recorded\",\"occurred_at\":\"9999-12-31T23:59:59-01:00\"}|occurred_at",
            "{\"event_type\":\"usage_recorded\",\"occurred_at\":\"2026-02-30T00:00:00Z\"}|occurred_at",
            "{\"event_type\":\"usage_recorded\",\"event_id\":\"\\ud800\"}|event_id",
            "{\"event_type\":\"usage_recorded\",\"event_id\":\"a\\udc00b\"}|event_id",
            "{\"event_type\":\"usage_recorded\",\"event_id\":\"a\\u0000b\"}|event_id",
            "{\"event_type\":\"usage_recorded\",\"data\":{\"s\":\"\\ud800\"}}|data",
            "{\"event_type\":\"usage_recorded\",\"data\":{\"\\udfff\":1}}|data",
            "{\"event_type\":\"usage_recorded\",\"event_id\":42}|event_id",
            "{\"events\":{}}|events",
            "{\"events\":[]}|events",
            "{\"events\":[42]}|events[0]",
            "{\"events\":[{\"event_type\":\"usage_recorded\"}],\"extra\":1}|extra",
    })
    void aBadRecordIsABadRequestNamingTheField(String body, String field) {
        int stored = server.everything().size();
        String message = server.post(USAGE, server.collector(), body).assertError(400, "bad_request");
        if (field != null) {
            assertTrue(message.contains(field), message);
        }
        assertEquals(stored, server.everything().size());
    }

    @Test
    void theFirstAndLastRepresentableInstantsAreAccepted() {
        assertEquals(200, server.get(USAGE + "?before=0001-01-01T00:00:00Z", server.collector()).status());
        assertEquals(200, server.get(USAGE + "?before=9999-12-31T23:59:59.999999Z", server.collector()).status());
        assertEquals(200, server.get(USAGE + "?before=0001-01-01T00:59:59-01:00", server.collector()).status());
    }

    @Test
    void keysThatDifferOnlyInTextThatIsNotUnicodeAreNotMistakenForEachOther() {
        // a store that turned unpaired surrogates into '?' would call the second a duplicate of the first
        int stored = server.everything().size();
        server.post(USAGE, server.collector(), "{\"event_type\":\"usage_recorded\",\"event_id\":\"u\\ud800\"}")
                .assertError(400, "bad_request");
        server.post(USAGE, server.collector(), "{\"event_type\":\"usage_recorded\",\"event_id\":\"u\\udbff\"}")
                .assertError(400, "bad_request");
        assertEquals(stored, server.everything().size());
        assertEquals("{\"accepted\":1,\"duplicates\":0}",
                server.record("{\"event_type\":\"usage_recorded\",\"event_id\":\"u\\ud83d\\ude00 \u00e4\"}").toString(),
                "a proper surrogate pair is fine");
        boolean found = false;
        for (var item : server.everything()) {
            found |= item.path("event_id").asText().equals("u\ud83d\ude00 \u00e4");
        }
        assertTrue(found, "the key is kept as it was sent");
    }

    @Test
    void anEmptyBodyIsABadRequest() {
        server.post(USAGE, server.collector(), "").assertError(400, "bad_request");
    }

    @Test
    void anEventIdOfMoreThanTwoHundredCharactersIsABadRequest() {
        String id200 = "x".repeat(199) + "ä";
        assertEquals("{\"accepted\":1,\"duplicates\":0}",
                server.record("{\"event_type\":\"usage_recorded\",\"event_id\":\"" + id200 + "\"}").toString(),
                "200 characters are allowed");
        String message = server.post(USAGE, server.collector(),
                        "{\"event_type\":\"usage_recorded\",\"event_id\":\"" + "y".repeat(201) + "\"}")
                .assertError(400, "bad_request");
        assertTrue(message.contains("event_id"), message);
    }

    @Test
    void aBatchWithOneBadRecordStoresNothing() {
        int stored = server.everything().size();
        String good1 = "{\"event_type\":\"usage_recorded\",\"event_id\":\"all-or-nothing-1\",\"data\":{\"total_tokens\":3}}";
        String good2 = "{\"event_type\":\"container_run_finished\",\"event_id\":\"all-or-nothing-2\"}";
        String bad = "{\"event_type\":\"usage_recorded\",\"event_id\":\"all-or-nothing-3\",\"account_id\":\"nope\"}";
        String message = server.post(USAGE, server.collector(), "{\"events\":[" + good1 + "," + good2 + "," + bad + "]}")
                .assertError(400, "bad_request");
        assertTrue(message.contains("events[2]") && message.contains("account_id"), message);
        assertEquals(stored, server.everything().size(), "nothing may be stored from a rejected batch");
        // and no key was claimed: the good records are new when sent again
        assertEquals("{\"accepted\":2,\"duplicates\":0}", server.record("{\"events\":[" + good1 + "," + good2 + "]}").toString());
        assertEquals(stored + 2, server.everything().size());
    }

    @Test
    void moreThanTenThousandRecordsAreABadRequest() {
        int stored = server.everything().size();
        StringBuilder batch = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 10_001; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"event_type\":\"usage_recorded\"}");
        }
        batch.append("]}");
        String message = server.post(USAGE, server.collector(), batch.toString()).assertError(400, "bad_request");
        assertTrue(message.contains("events"), message);
        assertEquals(stored, server.everything().size());
    }

    @Test
    void aBodyOverTenMebibytesIsTooLarge() {
        int stored = server.everything().size();
        String body = bodyOfAbout(10 * MIB + 1024);
        server.post(USAGE, server.collector(), body).assertError(413, "request_body_too_large");
        // sent without a length too (chunked)
        Response chunked = server.send(server.request(USAGE)
                .header("Authorization", "Bearer " + server.collector())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build());
        chunked.assertError(413, "request_body_too_large");
        assertEquals(stored, server.everything().size());
        assertEquals(200, server.get("/readyz", null).status(), "the server still answers");
    }

    @Test
    void aUsageBatchOfSeveralMebibytesIsAccepted() {
        String body = bodyOfAbout(3 * MIB);
        assertEquals("{\"accepted\":1,\"duplicates\":0}", server.record(body).toString());
    }

    @Test
    void aBodyThatIsNotJsonIsAnUnsupportedMediaType() {
        int stored = server.everything().size();
        for (String type : new String[]{"text/plain", "application/x-www-form-urlencoded", "application/xml"}) {
            server.send(server.request(USAGE)
                    .header("Authorization", "Bearer " + server.collector())
                    .header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"event_type\":\"usage_recorded\"}"))
                    .build()).assertError(415, "unsupported_media_type");
        }
        assertEquals(stored, server.everything().size());
        Response charset = server.send(server.request(USAGE)
                .header("Authorization", "Bearer " + server.collector())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"event_type\":\"usage_recorded\"}"))
                .build());
        assertEquals(200, charset.status(), charset.body());
    }

    @Test
    void anUnknownPathIsNotFound() {
        server.get("/api/internal/usage-eventz", server.collector()).assertError(404, "not_found");
        server.get("/nothing/here", null).assertError(404, "not_found");
        server.post("/api/internal/usage-events/1", server.collector(), "{}").assertError(404, "not_found");
    }

    @Test
    void aMethodThatThePathDoesNotTakeIsNotAllowed() {
        Response put = server.send(server.request(USAGE)
                .header("Authorization", "Bearer " + server.collector())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"event_type\":\"usage_recorded\"}")).build());
        put.assertError(405, "method_not_allowed");
        String allow = put.headers().firstValue("Allow").orElse("");
        assertTrue(allow.contains("GET") && allow.contains("POST") && allow.contains("DELETE"), allow);
        server.send(server.request(USAGE).method("PATCH", HttpRequest.BodyPublishers.noBody()).build())
                .assertError(405, "method_not_allowed");
        server.send(server.request("/readyz").POST(HttpRequest.BodyPublishers.noBody()).build())
                .assertError(405, "method_not_allowed");
        server.send(server.request("/healthz").DELETE().build()).assertError(405, "method_not_allowed");
    }

    @Test
    void aRequestTheHttpLayerCannotReadIsStillAnsweredWithTheEnvelope() throws Exception {
        String token = server.collector();
        RawAnswer badEscape = raw("GET " + USAGE + "?before=%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n");
        badEscape.assertError(400, "bad_request");
        RawAnswer badPath = raw("GET /api/internal/usage-events%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        badPath.assertError(400, "bad_request");
        RawAnswer badLength = raw("POST " + USAGE + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}");
        badLength.assertError(400, "bad_request");
        RawAnswer hugeHeader = raw("GET " + USAGE + " HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(hugeHeader.status() >= 400 && hugeHeader.status() < 500, hugeHeader.toString());
        assertTrue(hugeHeader.body().startsWith("{\"error\":{\"type\":"), hugeHeader.toString());
        for (RawAnswer a : new RawAnswer[]{badEscape, badLength}) {
            assertFalse(a.body().contains(token), "a token is never echoed");
        }
    }

    /** An answer read from a raw socket, for requests that no well-behaved client would send. */
    private record RawAnswer(int status, String headers, String body) {
        void assertError(int expectedStatus, String type) {
            assertEquals(expectedStatus, status, toString());
            assertTrue(headers.toLowerCase(Locale.ROOT).contains("content-type: application/json"), toString());
            Map<String, List<String>> parsed = new java.util.HashMap<>();
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    parsed.computeIfAbsent(line.substring(0, colon).strip(), k -> new java.util.ArrayList<>())
                            .add(line.substring(colon + 1).strip());
                }
            }
            var json = new TestServer.Response(status, body, HttpHeaders.of(parsed, (a, b) -> true));
            assertEquals(type, json.errorType(), toString());
        }
    }

    private RawAnswer raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.append((char) c);
            }
            String headers = head.toString();
            String statusLine = headers.lines().findFirst().orElse("");
            int status = statusLine.length() >= 12 ? Integer.parseInt(statusLine.substring(9, 12)) : -1;
            int length = 0;
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            byte[] body = new byte[length];
            in.readFully(body);
            return new RawAnswer(status, headers, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static String bodyOfAbout(int bytes) {
        return "{\"events\":[{\"event_type\":\"usage_recorded\",\"data\":{\"pad\":\"" + "p".repeat(bytes) + "\"}}]}";
    }
}

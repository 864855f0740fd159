package fi.hg.bus.app.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static fi.hg.bus.app.e2e.TestServer.USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A body that ends before its {@code Content-Length} (the client stops sending), or a negative
 * {@code Content-Length}, is the client's fault: 400 in the envelope, nothing stored, never a 500.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CutShortBodyTest {

    private static final String RECORD = "{\"event_type\":\"usage_recorded\",\"event_id\":\"cut-1\","
            + "\"account_id\":\"3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b\",\"data\":{\"total_tokens\":5}}";

    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private RawHttp.Response send(String method, String path, String authorization, String contentType, String contentLength,
                                  String body) throws Exception {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(new AbstractMap.SimpleEntry<>("Host", "127.0.0.1:" + server.port()));
        headers.add(new AbstractMap.SimpleEntry<>("Connection", "close"));
        if (authorization != null) {
            headers.add(new AbstractMap.SimpleEntry<>("Authorization", "Bearer " + authorization));
        }
        headers.add(new AbstractMap.SimpleEntry<>("Content-Type", contentType));
        headers.add(new AbstractMap.SimpleEntry<>("Content-Length", contentLength));
        return RawHttp.send(server.port(), new RawHttp.Request(method, path, headers, body.getBytes(StandardCharsets.UTF_8), true));
    }

    private static void assertBadRequest(RawHttp.Response r) throws Exception {
        assertEquals(400, r.status(), r.text());
        assertTrue(r.header("content-type").startsWith("application/json"), r.header("content-type"));
        var error = TestServer.mapper().readTree(r.text()).get("error");
        assertEquals("bad_request", error.get("type").asText());
    }

    @Test
    void aUsageRecordCutShortIsABadRequestAndStoresNothing() throws Exception {
        RawHttp.Response r = send("POST", USAGE, server.collector(), "application/json",
                String.valueOf(RECORD.length() + 200), RECORD);
        assertBadRequest(r);
        assertTrue(TestServer.mapper().readTree(r.text()).get("error").get("message").asText().contains("Content-Length"));
        assertEquals(0, server.everything().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-9999999999"})
    void aNegativeContentLengthIsABadRequest(String length) throws Exception {
        assertBadRequest(send("POST", USAGE, server.collector(), "application/json", length, RECORD));
        assertEquals(0, server.everything().size());
    }

    @Test
    void aRegistrationCutShortIsABadRequestAndRegistersNobody() throws Exception {
        String body = "{\"email\":\"cut-short@example.com\"}";
        assertBadRequest(send("POST", "/api/v1/auth/register", null, "application/json", String.valueOf(body.length() + 10), body));
        var waitlist = server.get("/api/v1/auth/admin/waitlist", server.token("ai.hg.fi/auth", "waitlist:read")).json();
        assertEquals(0, waitlist.get("items").size());
    }

    @Test
    void aCatalogCutShortIsABadRequestAndTheCatalogStaysAsItWas() throws Exception {
        String body = "{\"products\":[{\"id\":\"llm\"}],\"meters\":[],\"plans\":[]}";
        assertBadRequest(send("PUT", "/api/internal/billing/catalog", server.token(TestServer.INTERNAL, "billing:catalog:write"),
                "application/json", String.valueOf(body.length() + 1), body));
        var catalog = server.get("/api/internal/billing/catalog", server.token(TestServer.INTERNAL, "billing:catalog:read")).json();
        assertEquals(0, catalog.get("products").size());
    }

    @Test
    void aLocalPageFormCutShortIsRefusedAsABadFormNotAServerError() throws Exception {
        String form = "csrf=x&action=subscribe&plan_id=p";
        RawHttp.Response r = send("POST", "/billing/local/checkout/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCd", null,
                "application/x-www-form-urlencoded", String.valueOf(form.length() + 50), form);
        assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.text());
    }
}

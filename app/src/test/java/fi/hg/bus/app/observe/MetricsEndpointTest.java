package fi.hg.bus.app.observe;

import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.app.e2e.TestServer;
import fi.hg.bus.app.e2e.TestServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics}: the Prometheus text format, parsed strictly; requests counted by route
 * pattern (never by raw path), entitlement decisions by reason, usage accepted and duplicate,
 * the export queue and the pool read when scraped; and an answer while the database is down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndpointTest {

    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start(Map.of("BUS_DATABASE_POOL_SIZE", "5"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private PrometheusText scrape(TestServer s) {
        Response r = s.get("/metrics", null);
        assertEquals(200, r.status(), r.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.contentType());
        return PrometheusText.parse(r.body());
    }

    @Test
    void the_text_format_declares_every_family_with_its_type() {
        server.get("/healthz", null);
        PrometheusText metrics = scrape(server);
        assertEquals("counter", metrics.types.get("bus_http_requests_total"));
        assertEquals("histogram", metrics.types.get("bus_http_request_duration_seconds"));
        assertEquals("gauge", metrics.types.get("bus_http_requests_in_flight"));
        assertEquals("counter", metrics.types.get("bus_entitlement_decisions_total"));
        assertEquals("counter", metrics.types.get("bus_usage_events_total"));
        assertEquals("counter", metrics.types.get("bus_usage_export_attempts_total"));
        assertEquals("gauge", metrics.types.get("bus_usage_export_queue"));
        assertEquals("gauge", metrics.types.get("bus_db_pool_connections"));
        assertEquals(5.0, metrics.value("bus_db_pool_max_connections"));
        assertEquals(1.0, metrics.value("bus_database_up"));
        assertTrue(metrics.value("bus_http_requests_total", "method", "GET", "route", "/healthz", "status", "200") >= 1);
        assertTrue(metrics.value("bus_http_request_duration_seconds_count", "method", "GET", "route", "/healthz") >= 1);
        // the scrape in progress is one request in flight
        assertTrue(metrics.value("bus_http_requests_in_flight") >= 1);
    }

    @Test
    void requests_are_counted_by_route_pattern_never_by_their_path() {
        String key = UUID.randomUUID().toString();
        String token = server.token(TestServer.END_USER, "keys:write");
        Response revoked = server.delete("/api/v1/keys/" + key, token);
        String unknown = "/no-such-route-" + UUID.randomUUID();
        assertEquals(404, server.get(unknown, null).status());
        Response wrongMethod = server.send(server.request("/metrics").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, wrongMethod.status());

        PrometheusText metrics = scrape(server);
        String text = server.get("/metrics", null).body();
        assertFalse(text.contains(key), "no id from a path is a label");
        assertFalse(text.contains(unknown), "no unknown path is a label");
        assertTrue(metrics.value("bus_http_requests_total", "method", "DELETE", "route", "/api/v1/keys/{id}",
                "status", String.valueOf(revoked.status())) >= 1);
        assertTrue(metrics.value("bus_http_requests_total", "method", "GET", "route", "unmatched", "status", "404") >= 1);
        assertTrue(metrics.value("bus_http_requests_total", "method", "POST", "route", "/metrics", "status", "405") >= 1);
        Set<String> routes = metrics.samples("bus_http_requests_total").stream()
                .map(s -> s.labels().get("route")).collect(Collectors.toSet());
        for (String route : routes) {
            assertTrue(route.equals("unmatched") || route.equals("malformed") || route.startsWith("/"), route);
        }
    }

    @Test
    void an_unknown_method_is_counted_as_other() {
        RawHttp.Answer answer = RawHttp.send(server.port(),
                "BREW /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
        assertTrue(answer.status() >= 400, answer.toString());
        PrometheusText metrics = scrape(server);
        assertTrue(metrics.samples("bus_http_requests_total").stream().noneMatch(s -> s.labels().get("method").equals("BREW")));
        assertTrue(metrics.samples("bus_http_requests_total").stream().anyMatch(s -> s.labels().get("method").equals("OTHER")));
    }

    @Test
    void usage_is_counted_as_accepted_and_duplicate_and_entitlement_checks_by_reason() {
        PrometheusText before = scrape(server);
        String id = "metrics-" + UUID.randomUUID();
        server.record("{\"events\":[{\"event_type\":\"request_started\",\"event_id\":\"" + id + "\"},"
                + "{\"event_type\":\"request_started\"}]}");
        server.record("{\"event_type\":\"request_started\",\"event_id\":\"" + id + "\"}");
        String check = server.token(TestServer.INTERNAL, "billing:entitlement:check");
        Response decided = server.post("/api/internal/billing/entitlement-check", check,
                "{\"account_id\":\"" + UUID.randomUUID() + "\",\"scope\":\"llm:proxy\"}");
        assertEquals(200, decided.status(), decided.body());
        assertEquals("billing_required", decided.json().get("reason").asText());

        PrometheusText after = scrape(server);
        assertEquals(2.0, after.value("bus_usage_events_total", "outcome", "accepted")
                - before.value("bus_usage_events_total", "outcome", "accepted"));
        assertEquals(1.0, after.value("bus_usage_events_total", "outcome", "duplicate")
                - before.value("bus_usage_events_total", "outcome", "duplicate"));
        assertEquals(1.0, after.value("bus_entitlement_decisions_total", "allowed", "false", "reason", "billing_required")
                - before.value("bus_entitlement_decisions_total", "allowed", "false", "reason", "billing_required"));
        for (String reason : Set.of("quota_exceeded", "api_key_invalid", "api_key_quota_exceeded")) {
            after.value("bus_entitlement_decisions_total", "allowed", "false", "reason", reason);
        }
        after.value("bus_entitlement_decisions_total", "allowed", "true", "reason", "billing_active");
    }

    @Test
    void the_export_queue_is_read_from_the_database_when_scraped() throws Exception {
        try (TestServer own = TestServer.start()) {
            DatabaseUrl db = own.database();
            try (var c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password()); var s = c.createStatement()) {
                s.execute("""
                        insert into usage_exports (idempotency_key, account_id, feature, meter, quantity, occurred_at,
                                                   state, attempts, next_attempt_at, last_error, created_at)
                        values ('given-up-1', gen_random_uuid(), 'llm:proxy', 'bus_llm_tokens', 5, now(), 'failed', 50,
                                null, 'provider refused', now()),
                               ('given-up-2', gen_random_uuid(), 'llm:proxy', 'bus_llm_tokens', 5, now(), 'failed', 50,
                                null, 'provider refused', now())""");
            }
            PrometheusText metrics = scrape(own);
            assertEquals(2.0, metrics.value("bus_usage_export_queue", "state", "given_up"));
            assertEquals(0.0, metrics.value("bus_usage_export_queue", "state", "retrying"));
            assertEquals(1.0, metrics.value("bus_database_up"));
            assertTrue(metrics.value("bus_db_pool_connections", "state", "idle") >= 0);
        }
    }

    @Test
    void usage_that_is_exported_is_counted_by_the_export_worker() throws Exception {
        String account = UUID.randomUUID().toString();
        server.record("{\"event_type\":\"usage_recorded\",\"account_id\":\"" + account
                + "\",\"data\":{\"total_tokens\":7}}");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        PrometheusText metrics = scrape(server);
        while (metrics.value("bus_usage_export_attempts_total", "outcome", "exported") < 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            metrics = scrape(server);
        }
        assertTrue(metrics.value("bus_usage_export_attempts_total", "outcome", "exported") >= 1, "the local provider took it");
        assertEquals(0.0, metrics.value("bus_usage_export_attempts_total", "outcome", "failed"));
    }

    @Test
    void the_metrics_answer_while_the_database_is_down_with_its_gauges_marked() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> env = Map.of(
                "BUS_DATABASE_URL", "postgres://bus:not-the-password@127.0.0.1:" + port + "/bus",
                "BUS_AUTH_HS256_SECRET", TestServer.SECRET);
        try (TestServer down = TestServer.start(env, null)) {
            assertEquals(503, down.get("/readyz", null).status());
            PrometheusText metrics = scrape(down);
            assertEquals(0.0, metrics.value("bus_database_up"));
            assertTrue(metrics.samples("bus_usage_export_queue").isEmpty(), "no queue gauge without a database");
            assertEquals(16.0, metrics.value("bus_db_pool_max_connections"));
            assertTrue(metrics.value("bus_http_requests_total", "method", "GET", "route", "/readyz", "status", "503") >= 1);
        }
        try (TestServer none = TestServer.start(Map.of("BUS_STORE", "postgres", "BUS_AUTH_HS256_SECRET", TestServer.SECRET),
                null)) {
            PrometheusText metrics = scrape(none);
            assertEquals(0.0, metrics.value("bus_database_up"));
            assertTrue(metrics.samples("bus_db_pool_connections").isEmpty());
        }
    }

    @Test
    void with_a_token_configured_only_its_bearer_reads_the_metrics() {
        String token = "metrics-token-0123456789abcdef";
        try (TestServer guarded = TestServer.start(Map.of("BUS_METRICS_TOKEN", token))) {
            guarded.get("/metrics", null).assertError(401, "invalid_auth");
            guarded.get("/metrics", "wrong-token-0123456789abcdef").assertError(401, "invalid_auth");
            Response ok = guarded.get("/metrics", token);
            assertEquals(200, ok.status());
            PrometheusText.parse(ok.body());
            assertFalse(ok.body().contains(token));
        }
    }
}

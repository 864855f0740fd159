package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.e2e.TestServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static fi.hg.bus.app.e2e.TestServer.INTERNAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Entitlement checks, reservations and account status over HTTP (SPEC 4.2, 4.3, 5.2, 5.4), on a
 * plan whose {@code total} window never resets, so that no test depends on the clock.
 */
class EntitlementCheckTest {

    private static final String CHECK = "/api/internal/billing/entitlement-check";
    private static final String CATALOG = """
            {"products":[{"id":"llm","name":"LLM access"}],
             "meters":[{"name":"bus_llm_tokens","unit":"tokens"}],
             "plans":[
              {"id":"llm-basic","name":"LLM Basic","product_id":"llm","features":["llm:proxy"],
               "prices":[{"currency":"eur","unit_amount":1000,"interval":"month"}],
               "quotas":[
                {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"total","limit":1000,"upgrade_plan_id":"llm-pro"},
                {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"month","limit":1000000,"upgrade_plan_id":"llm-pro"}]},
              {"id":"llm-pro","name":"LLM Pro","product_id":"llm","features":["llm:proxy"],
               "prices":[{"currency":"eur","unit_amount":5000,"interval":"month"}],"quotas":[]}]}""";

    private static TestServer server;
    private static String checker;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        checker = server.token(INTERNAL, "billing:entitlement:check");
        Response r = server.send(server.request("/api/internal/billing/catalog")
                .header("Authorization", "Bearer " + server.token(INTERNAL, "billing:catalog:write"))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(CATALOG)).build());
        assertEquals(200, r.status(), r.body());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void an_account_never_seen_needs_billing() {
        assertEquals("{\"allowed\":false,\"reason\":\"billing_required\",\"command\":\"bus billing setup\"}",
                check(UUID.randomUUID().toString(), "llm:proxy", 10, null).body());
    }

    @Test
    void an_active_account_with_room_is_allowed_and_a_feature_outside_its_plan_is_not() {
        String account = activeAccount();
        assertEquals("{\"allowed\":true,\"reason\":\"billing_active\",\"plan_id\":\"llm-basic\"}",
                check(account, "llm:proxy", 10, null).body());
        assertEquals("billing_required", check(account, "container:run", 10, null).json().path("reason").asText());
    }

    @Test
    void recorded_usage_counts_until_the_quantity_would_pass_the_limit() {
        String account = activeAccount();
        record(account, "u-" + UUID.randomUUID(), 900);
        assertEquals(true, check(account, "llm:proxy", 100, null).json().path("allowed").asBoolean());
        JsonNode refused = check(account, "llm:proxy", 101, null).json();
        assertEquals("quota_exceeded", refused.path("reason").asText(), refused.toString());
        assertEquals("llm-basic", refused.path("plan_id").asText());
        assertEquals("llm-pro", refused.path("recommended_plan").asText());
        JsonNode item = refused.path("usage");
        assertEquals("total", item.path("window").asText());
        assertEquals("llm:proxy", item.path("feature").asText());
        assertEquals("bus_llm_tokens", item.path("meter_event_name").asText());
        assertEquals(900, item.path("used").asLong());
        assertEquals(1000, item.path("limit").asLong());
        assertEquals(100, item.path("remaining").asLong());
        assertEquals(0, item.path("reserved").asLong());
        assertFalse(item.path("exceeded").asBoolean());
        assertFalse(item.has("resets_at"), item.toString());

        // The status reads every feature's counters (no feature named): both windows counted 900.
        Response status = server.get("/api/internal/billing/accounts/" + account + "/status",
                server.token(INTERNAL, "billing:read"));
        assertEquals(200, status.status(), status.body());
        JsonNode usage = status.json().path("usage");
        assertEquals(2, usage.size(), status.body());
        for (JsonNode u : usage) {
            assertEquals(900, u.path("used").asLong(), status.body());
        }
    }

    @Test
    void a_reservation_holds_its_quantity_until_its_usage_settles_it() {
        String account = activeAccount();
        String reservation = "req-" + UUID.randomUUID();
        record(account, "u-" + UUID.randomUUID(), 500);
        assertEquals(true, check(account, "llm:proxy", 400, reservation).json().path("allowed").asBoolean());

        JsonNode held = check(account, "llm:proxy", 101, null).json().path("usage");
        assertEquals(500, held.path("used").asLong(), held.toString());
        assertEquals(400, held.path("reserved").asLong(), held.toString());
        assertEquals(100, held.path("remaining").asLong(), held.toString());

        // A replay answers the first answer and holds nothing more.
        assertEquals("{\"allowed\":true,\"reason\":\"billing_active\",\"plan_id\":\"llm-basic\"}",
                check(account, "llm:proxy", 400, reservation).body());
        assertEquals(true, check(account, "llm:proxy", 100, null).json().path("allowed").asBoolean());

        // Recording the usage under the reservation's id settles it: 300 used instead of 400 held.
        record(account, reservation, 300);
        assertEquals(true, check(account, "llm:proxy", 200, null).json().path("allowed").asBoolean());
        JsonNode settled = check(account, "llm:proxy", 201, null).json().path("usage");
        assertEquals(800, settled.path("used").asLong(), settled.toString());
        assertEquals(0, settled.path("reserved").asLong(), settled.toString());
    }

    private static Response check(String account, String feature, long quantity, String reservation) {
        String body = "{\"account_id\":\"" + account + "\",\"scope\":\"" + feature
                + "\",\"usage\":{\"meter_event_name\":\"bus_llm_tokens\",\"quantity\":" + quantity + "}"
                + (reservation == null ? "" : ",\"reservation\":{\"id\":\"" + reservation + "\",\"ttl_seconds\":300}") + "}";
        Response r = server.post(CHECK, checker, body);
        assertEquals(200, r.status(), r.body());
        return r;
    }

    private static String activeAccount() {
        String account = UUID.randomUUID().toString();
        Response r = server.post("/api/internal/billing/subscription-updates",
                server.token(INTERNAL, "billing:subscriptions:write"), """
                        {"event_id":"%s","account_id":"%s","provider":"local","status":"active",
                         "plan_id":"llm-basic","features":["llm:proxy"]}""".formatted(UUID.randomUUID(), account));
        assertEquals(200, r.status(), r.body());
        return account;
    }

    private static void record(String account, String eventId, long tokens) {
        server.record("{\"event_type\":\"usage_recorded\",\"event_id\":\"" + eventId + "\",\"account_id\":\"" + account
                + "\",\"data\":{\"total_tokens\":" + tokens + "}}");
    }
}

package fi.hg.bus.app.billing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/v1/billing/checkout-session} and {@code …/portal-session} on the local provider. */
class HostedSetupApiTest {

    private static final String CHECKOUT = "/api/v1/billing/checkout-session";
    private static final String PORTAL = "/api/v1/billing/portal-session";
    private static final String SCOPES = "billing:read billing:setup";

    private static BillingServers server;

    @BeforeAll
    static void start() {
        server = BillingServers.start(Map.of("BUS_PUBLIC_URL", "https://bus.example.com/"));
        server.putCatalog(BillingServers.CATALOG);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private BillingServers.Response checkout(UUID account, String body) {
        return server.post(CHECKOUT, server.user(account, SCOPES), body);
    }

    @Test
    void a_checkout_session_is_a_local_page_on_the_public_url_and_the_same_request_gives_the_same_url() {
        UUID account = UUID.randomUUID();
        String body = """
                {"feature":"llm:proxy","plan_id":"llm-pro","return_url":"https://app.example.com/done?x=1"}""";

        BillingServers.Response first = checkout(account, body);
        BillingServers.Response second = checkout(account, body);

        assertEquals(200, first.status(), first.toString());
        assertEquals("local", first.json().get("provider").asText());
        String url = first.json().get("url").asText();
        assertTrue(url.matches("https://bus\\.example\\.com/billing/local/checkout/[A-Za-z0-9_-]{43}"), url);
        assertEquals(2, first.json().size());
        assertEquals(url, second.json().get("url").asText());
    }

    @Test
    void another_account_feature_plan_or_return_url_gives_another_session() {
        UUID account = UUID.randomUUID();
        String base = url(checkout(account, "{\"feature\":\"llm:proxy\",\"plan_id\":\"llm-pro\",\"return_url\":\"https://a.example/\"}"));

        List<String> others = List.of(
                url(checkout(UUID.randomUUID(), "{\"feature\":\"llm:proxy\",\"plan_id\":\"llm-pro\",\"return_url\":\"https://a.example/\"}")),
                url(checkout(account, "{\"plan_id\":\"llm-pro\",\"return_url\":\"https://a.example/\"}")),
                url(checkout(account, "{\"feature\":\"llm:proxy\",\"plan_id\":\"llm-basic\",\"return_url\":\"https://a.example/\"}")),
                url(checkout(account, "{\"feature\":\"llm:proxy\",\"plan_id\":\"llm-pro\",\"return_url\":\"https://b.example/\"}")),
                url(checkout(account, "{\"feature\":\"llm:proxy\",\"plan_id\":\"llm-pro\"}")),
                url(server.post(PORTAL, server.user(account, SCOPES), "{\"return_url\":\"https://a.example/\"}")));

        for (String other : others) {
            assertNotEquals(base, other);
        }
        assertEquals(others.size(), others.stream().distinct().count());
    }

    @Test
    void an_empty_body_or_none_opens_a_checkout_of_every_plan() {
        UUID account = UUID.randomUUID();

        BillingServers.Response empty = checkout(account, "{}");
        BillingServers.Response none = server.send("POST", CHECKOUT, server.user(account, SCOPES), null, null);

        assertEquals(200, empty.status(), empty.toString());
        assertEquals(url(empty), url(none));
    }

    @Test
    void a_portal_session_is_a_local_page_too() {
        UUID account = UUID.randomUUID();

        BillingServers.Response r = server.post(PORTAL, server.user(account, "billing:read"), "{}");

        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().get("url").asText().startsWith("https://bus.example.com/billing/local/portal/"), r.toString());
        assertEquals("local", r.json().get("provider").asText());
    }

    @Test
    void a_body_naming_another_account_is_refused_and_naming_its_own_is_fine() {
        UUID account = UUID.randomUUID();

        BillingServers.Response other = checkout(account, "{\"account_id\":\"" + UUID.randomUUID() + "\"}");
        BillingServers.Response own = checkout(account, "{\"account_id\":\"" + account + "\"}");
        BillingServers.Response otherPortal = server.post(PORTAL, server.user(account, SCOPES),
                "{\"account_id\":\"" + UUID.randomUUID() + "\"}");

        assertEquals(400, other.status(), other.toString());
        assertEquals("bad_request", other.errorType());
        assertTrue(other.errorMessage().startsWith("account_id:"), other.toString());
        assertEquals(200, own.status(), own.toString());
        assertEquals(400, otherPortal.status(), otherPortal.toString());
    }

    @Test
    void tokens_are_checked_for_audience_and_scope() {
        UUID account = UUID.randomUUID();

        assertEquals("invalid_auth", server.post(CHECKOUT, null, "{}").errorType());
        assertEquals(401, server.post(CHECKOUT, "not.a.token", "{}").status());
        assertEquals(403, server.post(CHECKOUT, server.user(account, "billing:read"), "{}").status());
        assertEquals(403, server.post(CHECKOUT, server.internal("billing:setup billing:read"), "{}").status());
        assertEquals(403, server.post(PORTAL, server.user(account, "billing:setup"), "{}").status());
        BillingServers.Response notAnAccount = server.post(CHECKOUT, server.user("alice", SCOPES), "{}");
        assertEquals(403, notAnAccount.status(), notAnAccount.toString());
        assertEquals("forbidden", notAnAccount.errorType());
    }

    @Test
    void a_return_url_must_be_an_absolute_http_or_https_url() {
        UUID account = UUID.randomUUID();
        List<String> bad = List.of("\"javascript:alert(1)\"", "\"ftp://example.com/\"", "\"/relative/path\"",
                "\"https://user:secret@example.com/\"", "\"https://exa mple.com/\"", "\"https://\"", "\"data:text/html,hi\"",
                "\"https://example.com/\\u0000\"", "\"https://example.com/" + "a".repeat(3000) + "\"", "123", "[]",
                "\"https://example.com/<script>\"", "\"\"");

        for (String value : bad) {
            BillingServers.Response r = checkout(account, "{\"return_url\":" + value + "}");
            BillingServers.Response p = server.post(PORTAL, server.user(account, SCOPES), "{\"return_url\":" + value + "}");
            assertEquals(400, r.status(), value + " → " + r);
            assertTrue(r.errorMessage().startsWith("return_url:"), value + " → " + r);
            assertEquals(400, p.status(), value + " → " + p);
        }
        assertEquals(200, checkout(account, "{\"return_url\":\"HTTP://Example.COM:8443/a?b=c#d\"}").status());
    }

    @Test
    void malformed_unknown_and_hostile_bodies_are_refused_naming_the_problem() {
        UUID account = UUID.randomUUID();
        String token = server.user(account, SCOPES);

        assertEquals("features: unknown field", checkout(account, "{\"features\":[]}").errorMessage());
        assertEquals(400, checkout(account, "{\"feature\":7}").status());
        assertTrue(checkout(account, "{\"feature\":7}").errorMessage().startsWith("feature:"));
        assertTrue(checkout(account, "{\"plan_id\":\"<b>\"}").errorMessage().startsWith("plan_id:"));
        assertTrue(checkout(account, "{\"feature\":\"" + "f".repeat(101) + "\"}").errorMessage().startsWith("feature:"));
        assertEquals(400, checkout(account, "{\"feature\":\"llm:proxy\"").status());
        assertEquals(400, checkout(account, "{} {}").status());
        assertEquals(400, checkout(account, "[]").status());
        assertEquals(400, checkout(account, "{\"feature\":\"a\",\"feature\":\"b\"}").status());
        BillingServers.Response text = server.send("POST", CHECKOUT, token, "text/plain", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, text.status());
        assertEquals("unsupported_media_type", text.errorType());
        byte[] huge = ("{\"return_url\":\"https://x/" + "a".repeat(1100 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        BillingServers.Response tooLarge = server.send("POST", CHECKOUT, token, "application/json", huge);
        assertEquals(413, tooLarge.status());
        assertEquals("request_body_too_large", tooLarge.errorType());
        assertEquals(405, server.get(CHECKOUT, token).status());
        assertEquals(405, server.get(PORTAL, token).status());
    }

    @Test
    void an_unknown_plan_or_one_without_the_feature_or_a_feature_nobody_sells_is_a_bad_request() {
        UUID account = UUID.randomUUID();

        BillingServers.Response unknown = checkout(account, "{\"plan_id\":\"llm-gold\"}");
        BillingServers.Response mismatch = checkout(account, "{\"feature\":\"container:run\",\"plan_id\":\"llm-pro\"}");
        BillingServers.Response nobody = checkout(account, "{\"feature\":\"gpu:train\"}");

        assertEquals(400, unknown.status());
        assertEquals("plan_id: no plan \"llm-gold\" in the catalog", unknown.errorMessage());
        assertEquals(400, mismatch.status());
        assertTrue(mismatch.errorMessage().contains("does not offer"), mismatch.toString());
        assertEquals(400, nobody.status());
        assertEquals("feature: no plan in the catalog offers \"gpu:train\"", nobody.errorMessage());
    }

    @Test
    void the_stripe_webhook_is_not_served_with_the_local_provider() {
        BillingServers.Response r = server.send("POST", "/api/internal/stripe/webhook", null, "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), "Stripe-Signature", "t=1,v1=00");

        assertEquals(404, r.status(), r.toString());
        assertEquals("not_found", r.errorType());
    }

    @Test
    void the_export_queue_is_listed_for_operators_with_counts_and_filters() {
        UUID account = UUID.randomUUID();
        server.use(account, "list-" + account, 42);

        BillingServers.Response all = server.get("/api/internal/billing/usage-exports?account_id=" + account, server.operator());

        assertEquals(200, all.status(), all.toString());
        JsonNode item = all.json().get("items").get(0);
        assertEquals(account.toString(), item.get("account_id").asText());
        assertEquals(42, item.get("quantity").asLong());
        assertEquals("bus_llm_tokens", item.get("meter_event_name").asText());
        assertTrue(item.get("idempotency_key").asText().startsWith("bus_usage_"));
        assertTrue(all.json().get("counts").has("failed"));
        assertEquals(400, server.get("/api/internal/billing/usage-exports?state=lost", server.operator()).status());
        assertEquals(400, server.get("/api/internal/billing/usage-exports?limit=0", server.operator()).status());
        assertEquals(400, server.get("/api/internal/billing/usage-exports?limit=99999", server.operator()).status());
        assertEquals(400, server.get("/api/internal/billing/usage-exports?account_id=x", server.operator()).status());
        assertEquals(400, server.get("/api/internal/billing/usage-exports?sort=id", server.operator()).status());
        assertEquals(400, server.get("/api/internal/billing/usage-exports?state=failed&state=pending", server.operator()).status());
        assertEquals(403, server.get("/api/internal/billing/usage-exports", server.user(account, SCOPES)).status());
        assertEquals(200, server.get("/api/internal/billing/usage-exports?state=failed,pending&limit=5", server.operator()).status());
    }

    private static String url(BillingServers.Response r) {
        assertEquals(200, r.status(), r.toString());
        return r.json().get("url").asText();
    }
}

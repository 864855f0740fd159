package fi.hg.bus.app.billing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Stripe provider through stripe-java against a local Stripe-compatible server that checks what
 * is sent and answers in Stripe's shapes: Checkout Sessions, customers, the Billing Portal, Stripe's
 * errors and timeouts.
 */
class StripeProviderTest {

    private static final String CHECKOUT = "/api/v1/billing/checkout-session";
    private static final String PORTAL = "/api/v1/billing/portal-session";
    private static FakeStripe stripe;
    private static BillingServers server;
    private static String basicPrice;
    private static String proPrice;

    static Map<String, String> stripeEnv(FakeStripe stripe) {
        Map<String, String> env = new HashMap<>();
        env.put("BUS_BILLING_PROVIDER_BACKEND", "stripe");
        env.put("BUS_STRIPE_SECRET_KEY", FakeStripe.KEY);
        env.put("BUS_STRIPE_WEBHOOK_SECRET", StripeWebhooks.SECRET);
        env.put("BUS_STRIPE_API_BASE", stripe.base());
        env.put("BUS_STRIPE_TIMEOUT", "2s");
        env.put("BUS_PUBLIC_URL", "https://bus.example.com");
        env.put("BUS_USAGE_EXPORT_RETRY_INITIAL", "200ms");
        env.put("BUS_USAGE_EXPORT_RETRY_MAX", "1s");
        return env;
    }

    @BeforeAll
    static void start() {
        stripe = FakeStripe.start();
        basicPrice = stripe.addPrice("llm-basic-monthly", 1000);
        proPrice = stripe.addPrice("llm-pro-monthly", 5000);
        Map<String, String> env = stripeEnv(stripe);
        env.put("BUS_STRIPE_DEFAULT_PRICE_ID", "price_default123");
        env.put("BUS_STRIPE_API_VERSION", "2025-03-31.basil");
        server = BillingServers.start(env);
        server.putCatalog(BillingServers.CATALOG);
    }

    @AfterAll
    static void stop() {
        server.close();
        stripe.close();
    }

    @BeforeEach
    void noFaults() {
        stripe.clearFaults();
    }

    private BillingServers.Response checkout(UUID account, String body) {
        return server.post(CHECKOUT, server.user(account, "billing:read billing:setup"), body);
    }

    private List<FakeStripe.Request> sessionsOf(UUID account) {
        return stripe.requests("POST", "/v1/checkout/sessions").stream()
                .filter(r -> account.toString().equals(r.param("client_reference_id"))).toList();
    }

    private List<FakeStripe.Request> customersOf(UUID account) {
        return stripe.requests("POST", "/v1/customers").stream()
                .filter(r -> account.toString().equals(r.param("metadata[bus_account_id]")) && !r.replayed()).toList();
    }

    @Test
    void a_checkout_is_a_stripe_checkout_session_in_subscription_mode_with_the_plans_price_and_metadata() {
        UUID account = UUID.randomUUID();

        BillingServers.Response r = checkout(account,
                "{\"feature\":\"llm:proxy\",\"plan_id\":\"llm-pro\",\"return_url\":\"https://app.example.com/back\"}");

        assertEquals(200, r.status(), r.toString());
        assertEquals("stripe", r.json().get("provider").asText());
        assertTrue(r.json().get("url").asText().startsWith("https://checkout.stripe.test/c/pay/cs_test_"), r.toString());
        List<FakeStripe.Request> sessions = sessionsOf(account);
        assertEquals(1, sessions.size());
        FakeStripe.Request s = sessions.getFirst();
        assertEquals("subscription", s.param("mode"));
        assertEquals(proPrice, s.param("line_items[0][price]"));
        assertEquals("1", s.param("line_items[0][quantity]"));
        assertEquals(account.toString(), s.param("metadata[bus_account_id]"));
        assertEquals("llm:proxy", s.param("metadata[bus_features]"));
        assertEquals("llm-pro", s.param("metadata[bus_plan_id]"));
        assertEquals(account.toString(), s.param("subscription_data[metadata][bus_account_id]"));
        assertEquals("llm-pro", s.param("subscription_data[metadata][bus_plan_id]"));
        assertEquals("https://app.example.com/back", s.param("success_url"));
        assertEquals("https://app.example.com/back", s.param("cancel_url"));
        assertNotNull(s.idempotencyKey(), "every POST carries an idempotency key");
        assertEquals("2025-03-31.basil", s.headers().get("stripe-version"), "BUS_STRIPE_API_VERSION is sent");
        FakeStripe.Request customer = customersOf(account).getFirst();
        assertEquals(customer.params().get("metadata[bus_account_id]"), account.toString());
        assertTrue(customer.idempotencyKey().startsWith("bus_customer_" + account + "_"), customer.idempotencyKey());
        assertTrue(s.param("customer").startsWith("cus_"));
        FakeStripe.Request lookup = stripe.requests("GET", "/v1/prices").stream()
                .filter(p -> "llm-pro-monthly".equals(p.param("lookup_keys[0]"))).findFirst().orElseThrow();
        assertEquals("true", lookup.param("active"));
    }

    @Test
    void the_customer_is_created_once_and_remembered() {
        UUID account = UUID.randomUUID();

        checkout(account, "{\"plan_id\":\"llm-basic\"}");
        checkout(account, "{\"plan_id\":\"llm-pro\"}");
        checkout(account, "{\"plan_id\":\"llm-pro\",\"return_url\":\"https://other.example/\"}");

        assertEquals(1, customersOf(account).size());
        List<FakeStripe.Request> sessions = sessionsOf(account);
        assertEquals(3, sessions.size());
        assertEquals(1, sessions.stream().map(s -> s.param("customer")).distinct().count());
        assertEquals(basicPrice, sessions.getFirst().param("line_items[0][price]"));
        assertEquals(List.of(sessions.getFirst().param("customer")),
                server.rows("select customer_id from provider_customers where account_id = '" + account + "'")
                        .stream().map(row -> row.get(0)).toList());
        assertEquals("https://bus.example.com/billing/local/done", sessions.getFirst().param("success_url"),
                "without a return URL Stripe sends the user to this server's done page");
    }

    @Test
    void a_plan_without_a_stripe_mapping_is_sold_at_the_default_price() {
        UUID account = UUID.randomUUID();

        BillingServers.Response r = checkout(account, "{\"feature\":\"container:run\"}");

        assertEquals(200, r.status(), r.toString());
        FakeStripe.Request s = sessionsOf(account).getFirst();
        assertEquals("price_default123", s.param("line_items[0][price]"));
        assertEquals("runner", s.param("metadata[bus_plan_id]"));
        assertEquals("container:run", s.param("metadata[bus_features]"));
    }

    @Test
    void the_portal_is_a_billing_portal_session_of_the_accounts_customer() {
        UUID account = UUID.randomUUID();
        BillingServers.Response before = server.post(PORTAL, server.user(account, "billing:read"), "{}");
        checkout(account, "{\"plan_id\":\"llm-basic\"}");

        BillingServers.Response r = server.post(PORTAL, server.user(account, "billing:read"),
                "{\"return_url\":\"https://app.example.com/settings\"}");

        assertEquals(409, before.status(), before.toString());
        assertEquals("conflict", before.errorType());
        assertTrue(before.errorMessage().contains("bus billing setup"));
        assertEquals(200, r.status(), r.toString());
        assertEquals("stripe", r.json().get("provider").asText());
        assertTrue(r.json().get("url").asText().startsWith("https://billing.stripe.test/p/session/bps_"));
        FakeStripe.Request p = stripe.requests("POST", "/v1/billing_portal/sessions").getLast();
        assertEquals(sessionsOf(account).getFirst().param("customer"), p.param("customer"));
        assertEquals("https://app.example.com/settings", p.param("return_url"));
        assertEquals(1, customersOf(account).size(), "the portal never creates a customer");
    }

    @Test
    void an_account_with_an_active_stripe_subscription_is_sent_to_the_portal_not_to_a_second_checkout() {
        UUID account = UUID.randomUUID();
        server.post("/api/internal/billing/subscription-updates", server.operator(), """
                {"event_id":"evt_active_%s","account_id":"%s","provider":"stripe","status":"active",
                 "provider_customer_id":"cus_known%s","plan_id":"llm-basic"}""".formatted(account, account, account.toString().substring(0, 8)));

        BillingServers.Response r = checkout(account, "{\"plan_id\":\"llm-pro\"}");

        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().get("url").asText().startsWith("https://billing.stripe.test/p/session/"), r.toString());
        assertEquals(List.of(), sessionsOf(account));
        assertEquals("cus_known" + account.toString().substring(0, 8),
                stripe.requests("POST", "/v1/billing_portal/sessions").getLast().param("customer"));
    }

    @Test
    void a_price_missing_in_stripe_or_a_request_stripe_refuses_is_a_clear_502() {
        UUID account = UUID.randomUUID();
        server.putCatalog(BillingServers.CATALOG.replace("llm-pro-monthly", "llm-pro-yearly"));
        try {
            BillingServers.Response missing = checkout(account, "{\"plan_id\":\"llm-pro\"}");
            assertEquals(502, missing.status(), missing.toString());
            assertEquals("provider_error", missing.errorType());
            assertTrue(missing.errorMessage().contains("lookup key \"llm-pro-yearly\""), missing.toString());
        } finally {
            server.putCatalog(BillingServers.CATALOG);
        }
        stripe.fail("POST", "/v1/checkout/sessions", 1, 400, "invalid_request_error", "resource_missing",
                "No such price: 'price_x'");

        BillingServers.Response refused = checkout(account, "{\"plan_id\":\"llm-basic\"}");

        assertEquals(502, refused.status(), refused.toString());
        assertEquals("provider_error", refused.errorType());
        assertTrue(refused.errorMessage().contains("No such price: 'price_x'"), refused.toString());
        assertTrue(refused.errorMessage().contains("resource_missing"), refused.toString());
    }

    @Test
    void stripe_failing_overloaded_or_slow_is_a_clear_503_and_a_retry_afterwards_loses_nothing() {
        UUID account = UUID.randomUUID();
        stripe.fail("POST", "/v1/checkout/sessions", 10, 500, "api_error", null, "An unknown error occurred");
        BillingServers.Response failing = checkout(account, "{\"plan_id\":\"llm-basic\"}");
        stripe.clearFaults();
        stripe.fail("POST", "/v1/checkout/sessions", 10, 429, "invalid_request_error", "rate_limit", "Too many requests");
        BillingServers.Response limited = checkout(account, "{\"plan_id\":\"llm-basic\"}");
        stripe.clearFaults();
        stripe.slow("POST", "/v1/checkout/sessions", 10, 5000);
        BillingServers.Response slow = checkout(account, "{\"plan_id\":\"llm-basic\"}");

        for (BillingServers.Response r : List.of(failing, limited, slow)) {
            assertEquals(503, r.status(), r.toString());
            assertEquals("provider_unavailable", r.errorType());
            assertTrue(r.errorMessage().contains("try again"), r.toString());
        }
        assertTrue(slow.errorMessage().contains("did not answer in time"), slow.toString());
        stripe.clearFaults();
        BillingServers.Response retried = checkout(account, "{\"plan_id\":\"llm-basic\"}");
        assertEquals(200, retried.status(), retried.toString());
        assertEquals(1, customersOf(account).size(), "one customer, whatever failed before");
        assertEquals(1, server.rows("select 1 from provider_customers where account_id = '" + account + "'").size());
    }

    @Test
    void a_customer_that_cannot_be_created_stops_the_checkout_and_the_next_try_creates_it() {
        UUID account = UUID.randomUUID();
        stripe.fail("POST", "/v1/customers", 2, 503, "api_error", null, "Service unavailable");

        BillingServers.Response failed = checkout(account, "{\"plan_id\":\"llm-basic\"}");

        assertEquals(503, failed.status(), failed.toString());
        assertEquals(List.of(), sessionsOf(account));
        assertEquals(List.of(), server.rows("select 1 from provider_customers where account_id = '" + account + "'"));
        stripe.clearFaults();
        assertEquals(200, checkout(account, "{\"plan_id\":\"llm-basic\"}").status());
        assertEquals(1, server.rows("select 1 from provider_customers where account_id = '" + account + "'").size());
    }

    @Test
    void no_answer_or_log_line_ever_holds_the_secret_key() {
        UUID account = UUID.randomUUID();
        stripe.fail("POST", "/v1/checkout/sessions", 1, 401, "invalid_request_error", null,
                "Invalid API Key provided: " + FakeStripe.KEY);

        BillingServers.Response r = checkout(account, "{\"plan_id\":\"llm-basic\"}");

        assertEquals(502, r.status(), r.toString());
        assertTrue(r.errorMessage().contains("refused the API key"), r.toString());
        assertFalse(r.body().contains(FakeStripe.KEY), r.toString());
        assertFalse(r.body().contains("sk_test_"), r.toString());
    }

    @Test
    void usage_of_a_stripe_customer_becomes_billing_meter_events_with_the_export_key_as_identifier() throws Exception {
        UUID account = UUID.randomUUID();
        checkout(account, "{\"plan_id\":\"llm-basic\"}");
        String customer = sessionsOf(account).getFirst().param("customer");

        server.use(account, "meter-" + account, 1234);
        JsonNode export = awaitExport(account, "exported");

        FakeStripe.Request sent = stripe.requests("POST", "/v1/billing/meter_events").stream()
                .filter(m -> customer.equals(m.param("payload[stripe_customer_id]"))).findFirst().orElseThrow();
        assertEquals("bus_llm_tokens", sent.param("event_name"));
        assertEquals("1234", sent.param("payload[value]"));
        assertEquals(export.get("idempotency_key").asText(), sent.param("identifier"));
        assertEquals(export.get("idempotency_key").asText() + "_attempt_1", sent.idempotencyKey());
        assertTrue(Long.parseLong(sent.param("timestamp")) > 1_700_000_000L);
        assertEquals("stripe", export.get("provider").asText());
    }

    @Test
    void usage_of_an_account_without_a_stripe_customer_is_visible_as_failed_with_its_reason() throws Exception {
        UUID account = UUID.randomUUID();

        server.use(account, "orphan-" + account, 10);
        JsonNode export = awaitExport(account, "failed");

        assertTrue(export.get("last_error").asText().contains("no Stripe customer"), export.toString());
        assertTrue(export.has("next_attempt_at"), "it is tried again");
        assertNull(export.get("exported_at"));
    }

    static JsonNode awaitExport(BillingServers server, UUID account, String state) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            BillingServers.Response r = server.get("/api/internal/billing/usage-exports?account_id=" + account, server.operator());
            last = r.json();
            for (JsonNode item : r.json().path("items")) {
                if (item.get("state").asText().equals(state)) {
                    return item;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no export became " + state + ": " + last);
    }

    private static JsonNode awaitExport(UUID account, String state) throws InterruptedException {
        return awaitExport(server, account, state);
    }
}

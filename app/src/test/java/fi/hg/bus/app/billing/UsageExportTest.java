package fi.hg.bus.app.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durable usage export against a Stripe-compatible server that fails, answers late and
 * recovers: every key is taken by Stripe exactly once, and replicas working the queue together
 * never send one key twice.
 */
class UsageExportTest {

    /** Makes the account a Stripe customer (through the checkout) and returns the customer id. */
    private static String customerOf(BillingServers server, FakeStripe stripe, UUID account) {
        BillingServers.Response r = server.post("/api/v1/billing/checkout-session",
                server.user(account, "billing:setup"), "{\"plan_id\":\"llm-basic\"}");
        assertEquals(200, r.status(), r.toString());
        return stripe.requests("POST", "/v1/checkout/sessions").stream()
                .filter(s -> account.toString().equals(s.param("client_reference_id"))).findFirst().orElseThrow().param("customer");
    }

    private static Map<String, Long> keysTaken(FakeStripe stripe, String customer) {
        return stripe.meterEvents().stream()
                .filter(e -> customer.equals(e.path("payload").path("stripe_customer_id").asText()))
                .collect(Collectors.groupingBy(e -> e.get("identifier").asText(), Collectors.counting()));
    }

    private static Set<String> queuedKeys(BillingServers server, UUID account) {
        return server.rows("select idempotency_key from usage_exports where account_id = '" + account + "'")
                .stream().map(r -> r.get(0)).collect(Collectors.toSet());
    }

    private static void awaitAllExported(BillingServers server, UUID account, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        String counts = "";
        while (System.nanoTime() < deadline) {
            List<List<String>> rows = server.rows("select state, count(*) from usage_exports where account_id = '" + account
                    + "' group by state order by state");
            counts = rows.toString();
            if (rows.size() == 1 && rows.get(0).get(0).equals("exported") && Integer.parseInt(rows.get(0).get(1)) == expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not every export was done in time: " + counts);
    }

    @Test
    void with_stripe_failing_then_answering_late_then_recovering_every_key_is_taken_exactly_once() throws Exception {
        try (FakeStripe stripe = FakeStripe.start(); BillingServers server = BillingServers.start(StripeProviderTest.stripeEnv(stripe))) {
            server.putCatalog(BillingServers.CATALOG);
            stripe.addPrice("llm-basic-monthly", 1000);
            UUID account = UUID.randomUUID();
            String customer = customerOf(server, stripe, account);
            stripe.fail("POST", "/v1/billing/meter_events", 15, 500, "api_error", null, "An unknown error occurred");
            stripe.fail("POST", "/v1/billing/meter_events", 5, 503, "api_error", null, "Service unavailable");
            for (int i = 0; i < 20; i++) {
                server.use(account, "fault-" + account + "-" + i, 100 + i);
            }

            JsonNode failed = StripeProviderTest.awaitExport(server, account, "failed");
            assertTrue(failed.get("last_error").asText().contains("Stripe"), failed.toString());
            assertTrue(failed.get("attempts").asInt() >= 1);
            stripe.slow("POST", "/v1/billing/meter_events", 3, 5000);
            awaitAllExported(server, account, 20);

            Map<String, Long> taken = keysTaken(stripe, customer);
            assertEquals(queuedKeys(server, account), taken.keySet(), "every queued key reached Stripe");
            assertTrue(taken.values().stream().allMatch(n -> n == 1), taken.toString());
            long total = stripe.meterEvents().stream()
                    .filter(e -> customer.equals(e.path("payload").path("stripe_customer_id").asText()))
                    .mapToLong(e -> Long.parseLong(e.path("payload").path("value").asText())).sum();
            assertEquals(20 * 100 + 190, total, "the exported quantity is exactly what was recorded");
            List<FakeStripe.Request> sent = stripe.requests("POST", "/v1/billing/meter_events");
            Map<String, Long> keysPerAttempt = sent.stream().filter(r -> !r.replayed())
                    .collect(Collectors.groupingBy(FakeStripe.Request::idempotencyKey, Collectors.counting()));
            assertTrue(keysPerAttempt.keySet().stream().allMatch(k -> k.matches("bus_usage_[0-9a-f]{40}_attempt_\\d+")),
                    keysPerAttempt.toString());
        }
    }

    @Test
    void two_replicas_working_the_queue_at_once_never_send_one_key_twice() throws Exception {
        try (FakeStripe stripe = FakeStripe.start()) {
            Map<String, String> env = new HashMap<>(StripeProviderTest.stripeEnv(stripe));
            try (BillingServers first = BillingServers.start(env); BillingServers second = first.replica()) {
                first.putCatalog(BillingServers.CATALOG);
                stripe.addPrice("llm-basic-monthly", 1000);
                UUID account = UUID.randomUUID();
                String customer = customerOf(first, stripe, account);
                stripe.slow("POST", "/v1/billing/meter_events", 1_000_000, 20);
                int records = 300;
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    List<Future<JsonNode>> sends = new ArrayList<>();
                    for (int i = 0; i < records; i++) {
                        BillingServers target = i % 2 == 0 ? first : second;
                        String id = "replicas-" + account + "-" + i;
                        sends.add(pool.submit(() -> target.use(account, id, 1)));
                    }
                    for (Future<JsonNode> f : sends) {
                        f.get();
                    }
                } finally {
                    pool.shutdown();
                }

                awaitAllExported(first, account, records);

                List<FakeStripe.Request> sent = stripe.requests("POST", "/v1/billing/meter_events").stream()
                        .filter(r -> customer.equals(r.param("payload[stripe_customer_id]"))).toList();
                Map<String, Long> perKey = sent.stream().collect(Collectors.groupingBy(r -> r.param("identifier"), Collectors.counting()));
                assertEquals(records, perKey.size());
                assertTrue(perKey.values().stream().allMatch(n -> n == 1), "a key was sent twice: " + perKey);
                assertEquals(0, stripe.duplicateIdentifiers());
                assertEquals(records, keysTaken(stripe, customer).size());
            }
        }
    }

    @Test
    void on_the_local_provider_exports_are_taken_at_once_and_listed() throws Exception {
        try (BillingServers server = BillingServers.start(Map.of())) {
            UUID account = UUID.randomUUID();
            server.use(account, "local-" + account, 7);
            server.use(account, null, 8);

            awaitAllExported(server, account, 2);

            BillingServers.Response listed = server.get("/api/internal/billing/usage-exports?account_id=" + account
                    + "&state=exported", server.operator());
            assertEquals(2, listed.json().get("items").size());
            for (JsonNode item : listed.json().get("items")) {
                assertEquals("local", item.get("provider").asText());
                assertTrue(item.has("exported_at"));
            }
            ObjectNode counts = (ObjectNode) listed.json().get("counts");
            assertTrue(counts.get("exported").asLong() >= 2);
        }
    }
}

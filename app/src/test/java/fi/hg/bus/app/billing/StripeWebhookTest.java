package fi.hg.bus.app.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/internal/stripe/webhook} with events signed the way Stripe signs them: each
 * handled type, replays, events out of order, bad and old signatures, and unknown types.
 */
class StripeWebhookTest {

    private static final String WEBHOOK = "/api/internal/stripe/webhook";
    private static FakeStripe stripe;
    private static BillingServers server;

    @BeforeAll
    static void start() {
        stripe = FakeStripe.start();
        stripe.addPrice("llm-basic-monthly", 1000);
        server = BillingServers.start(StripeProviderTest.stripeEnv(stripe));
        server.putCatalog(BillingServers.CATALOG);
    }

    @AfterAll
    static void stop() {
        server.close();
        stripe.close();
    }

    private static BillingServers.Response deliver(String payload, String signature) {
        return signature == null
                ? server.send("POST", WEBHOOK, null, "application/json; charset=utf-8", payload.getBytes(StandardCharsets.UTF_8))
                : server.send("POST", WEBHOOK, null, "application/json; charset=utf-8", payload.getBytes(StandardCharsets.UTF_8),
                "Stripe-Signature", signature);
    }

    private static BillingServers.Response deliver(ObjectNode event) {
        String payload = StripeWebhooks.text(event);
        return deliver(payload, StripeWebhooks.sign(payload));
    }

    private static String outcome(BillingServers.Response r) {
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().get("received").asBoolean());
        return r.json().get("outcome").asText();
    }

    private static ObjectNode subscriptionEvent(String id, String type, long created, UUID account, String customer,
                                                String status, String lookupKey) {
        return StripeWebhooks.event(id, type, created,
                StripeWebhooks.subscription("sub_" + customer, account, customer, status, lookupKey), StripeWebhooks.API_VERSION);
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static String id() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void a_completed_checkout_activates_the_account_on_its_plan_and_remembers_the_customer() {
        UUID account = UUID.randomUUID();
        String customer = "cus_" + account.toString().substring(0, 8);
        ObjectNode event = StripeWebhooks.event(id(), "checkout.session.completed", now(),
                StripeWebhooks.checkoutSession(account, customer, "sub_1", "llm-basic", "paid"), StripeWebhooks.API_VERSION);

        assertEquals("applied", outcome(deliver(event)));

        JsonNode status = server.status(account);
        assertEquals("active", status.get("status").asText());
        assertEquals("llm-basic", status.get("plan_id").asText());
        assertEquals("stripe", status.get("provider").asText());
        assertEquals(customer, server.rows("select customer_id from provider_customers where account_id = '" + account + "'")
                .get(0).get(0));
        BillingServers.Response portal = server.post("/api/v1/billing/portal-session", server.user(account, "billing:read"), "{}");
        assertEquals(200, portal.status(), portal.toString());
        assertEquals(customer, stripe.requests("POST", "/v1/billing_portal/sessions").getLast().param("customer"));
    }

    @Test
    void a_checkout_whose_payment_is_still_open_leaves_the_account_incomplete() {
        UUID account = UUID.randomUUID();
        ObjectNode event = StripeWebhooks.event(id(), "checkout.session.completed", now(),
                StripeWebhooks.checkoutSession(account, "cus_unpaid" + account.toString().substring(0, 6), "sub_2", "llm-basic", "unpaid"),
                StripeWebhooks.API_VERSION);

        assertEquals("applied", outcome(deliver(event)));
        assertEquals("incomplete", server.status(account).get("status").asText());
    }

    @Test
    void subscription_events_map_stripes_statuses_to_ours() {
        String[][] cases = {{"active", "active"}, {"trialing", "active"}, {"past_due", "past_due"}, {"unpaid", "past_due"},
                {"canceled", "canceled"}, {"incomplete", "incomplete"}, {"incomplete_expired", "incomplete"}};
        for (String[] c : cases) {
            UUID account = UUID.randomUUID();
            String customer = "cus_" + c[0].replace("_", "") + account.toString().substring(0, 6);
            assertEquals("applied", outcome(deliver(subscriptionEvent(id(), "customer.subscription.updated", now(), account,
                    customer, c[0], "llm-basic-monthly"))), c[0]);
            assertEquals(c[1], server.status(account).get("status").asText(), c[0]);
        }
    }

    @Test
    void created_updated_and_deleted_follow_the_subscription_through_its_life() {
        UUID account = UUID.randomUUID();
        String customer = "cus_life" + account.toString().substring(0, 6);
        long t = now() - 100;

        assertEquals("applied", outcome(deliver(subscriptionEvent(id(), "customer.subscription.created", t, account, customer,
                "incomplete", "llm-basic-monthly"))));
        assertEquals("incomplete", server.status(account).get("status").asText());
        assertEquals("applied", outcome(deliver(subscriptionEvent(id(), "customer.subscription.updated", t + 1, account, customer,
                "active", "llm-pro-monthly"))));
        JsonNode active = server.status(account);
        assertEquals("active", active.get("status").asText());
        assertEquals("llm-pro", active.get("plan_id").asText(), "the plan follows the price's lookup key");
        assertEquals("applied", outcome(deliver(subscriptionEvent(id(), "customer.subscription.deleted", t + 2, account, customer,
                "canceled", "llm-pro-monthly"))));
        assertEquals("canceled", server.status(account).get("status").asText());
    }

    @Test
    void an_event_without_our_metadata_finds_the_account_by_its_customer() {
        UUID account = UUID.randomUUID();
        String customer = "cus_known" + account.toString().substring(0, 6);
        deliver(StripeWebhooks.event(id(), "checkout.session.completed", now() - 10,
                StripeWebhooks.checkoutSession(account, customer, "sub_k", "llm-basic", "paid"), StripeWebhooks.API_VERSION));

        assertEquals("applied", outcome(deliver(subscriptionEvent(id(), "customer.subscription.updated", now(), null, customer,
                "past_due", "llm-basic-monthly"))));
        assertEquals("past_due", server.status(account).get("status").asText());

        BillingServers.Response stranger = deliver(subscriptionEvent(id(), "customer.subscription.updated", now(), null,
                "cus_stranger", "active", null));
        assertEquals("ignored", outcome(stranger));
    }

    @Test
    void a_replayed_event_changes_nothing_a_second_time() {
        UUID account = UUID.randomUUID();
        String customer = "cus_replay" + account.toString().substring(0, 6);
        ObjectNode activated = subscriptionEvent(id(), "customer.subscription.updated", now() - 50, account, customer,
                "active", "llm-basic-monthly");
        ObjectNode deleted = subscriptionEvent(id(), "customer.subscription.deleted", now() - 40, account, customer,
                "canceled", "llm-basic-monthly");
        assertEquals("applied", outcome(deliver(activated)));

        assertEquals("duplicate", outcome(deliver(activated)), "the same event again");
        assertEquals("applied", outcome(deliver(deleted)));
        assertEquals("duplicate", outcome(deliver(activated)), "an old event, redelivered after a newer one");
        assertEquals("canceled", server.status(account).get("status").asText());
    }

    @Test
    void an_older_event_arriving_after_a_newer_one_does_not_undo_it() {
        UUID account = UUID.randomUUID();
        String customer = "cus_order" + account.toString().substring(0, 6);
        long t = now() - 30;

        assertEquals("applied", outcome(deliver(subscriptionEvent(id(), "customer.subscription.updated", t, account, customer,
                "active", "llm-basic-monthly"))));
        assertEquals("stale", outcome(deliver(subscriptionEvent(id(), "customer.subscription.created", t - 5, account, customer,
                "incomplete", "llm-basic-monthly"))));

        assertEquals("active", server.status(account).get("status").asText());
    }

    @Test
    void a_bad_missing_or_old_signature_is_refused_and_changes_nothing() {
        UUID account = UUID.randomUUID();
        ObjectNode event = subscriptionEvent(id(), "customer.subscription.updated", now(), account,
                "cus_sig" + account.toString().substring(0, 6), "active", "llm-basic-monthly");
        String payload = StripeWebhooks.text(event);
        long old = now() - 600;

        BillingServers.Response wrongSecret = deliver(payload, StripeWebhooks.sign(payload, "whsec_wrong_secret_000000", now()));
        BillingServers.Response tampered = deliver(payload.replace("\"active\"", "\"trialing\""), StripeWebhooks.sign(payload));
        BillingServers.Response missing = deliver(payload, null);
        BillingServers.Response garbage = deliver(payload, "t=abc,v1=zz");
        BillingServers.Response stale = deliver(payload, StripeWebhooks.sign(payload, StripeWebhooks.SECRET, old));
        BillingServers.Response twice = server.send("POST", WEBHOOK, null, "application/json", payload.getBytes(StandardCharsets.UTF_8),
                "Stripe-Signature", StripeWebhooks.sign(payload), "Stripe-Signature", StripeWebhooks.sign(payload));

        for (BillingServers.Response r : new BillingServers.Response[]{wrongSecret, tampered, missing, garbage, stale, twice}) {
            assertEquals(400, r.status(), r.toString());
            assertEquals("bad_request", r.errorType());
        }
        assertTrue(stale.errorMessage().contains("tolerance"), stale.toString());
        assertTrue(missing.errorMessage().contains("missing"), missing.toString());
        assertEquals("missing", server.status(account).get("status").asText());
    }

    @Test
    void an_unknown_event_type_is_acknowledged_and_ignored() {
        ObjectNode invoice = BillingServers.JSON.createObjectNode().put("id", "in_1").put("object", "invoice");
        ObjectNode event = StripeWebhooks.event(id(), "invoice.paid", now(), invoice, StripeWebhooks.API_VERSION);

        BillingServers.Response r = deliver(event);

        assertEquals("ignored", outcome(r));
        assertTrue(r.json().get("reason").asText().contains("invoice.paid"), r.toString());
    }

    @Test
    void a_payment_mode_checkout_is_ignored() {
        UUID account = UUID.randomUUID();
        ObjectNode session = StripeWebhooks.checkoutSession(account, "cus_pay", null, "llm-basic", "paid");
        session.put("mode", "payment");

        assertEquals("ignored", outcome(deliver(StripeWebhooks.event(id(), "checkout.session.completed", now(), session,
                StripeWebhooks.API_VERSION))));
        assertEquals("missing", server.status(account).get("status").asText());
    }

    @Test
    void an_event_rendered_in_another_api_version_is_read_all_the_same() {
        UUID account = UUID.randomUUID();
        ObjectNode event = StripeWebhooks.event(id(), "checkout.session.completed", now(),
                StripeWebhooks.checkoutSession(account, "cus_old" + account.toString().substring(0, 6), "sub_o", "llm-basic", "paid"),
                "2024-06-20");

        assertEquals("applied", outcome(deliver(event)));
        assertEquals("active", server.status(account).get("status").asText());
    }

    @Test
    void malformed_oversized_and_wrongly_typed_bodies_are_refused() {
        String notJson = "{\"id\":\"evt_1\",";
        BillingServers.Response broken = deliver(notJson, StripeWebhooks.sign(notJson));
        BillingServers.Response array = deliver("[]", StripeWebhooks.sign("[]"));
        byte[] huge = ("{\"id\":\"evt_big\",\"pad\":\"" + "a".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        BillingServers.Response tooLarge = server.send("POST", WEBHOOK, null, "application/json", huge,
                "Stripe-Signature", "t=1,v1=00");
        BillingServers.Response form = server.send("POST", WEBHOOK, null, "application/x-www-form-urlencoded",
                "a=b".getBytes(StandardCharsets.UTF_8), "Stripe-Signature", StripeWebhooks.sign("a=b"));
        byte[] latin1 = {'{', '"', 'x', '"', ':', '"', (byte) 0xff, '"', '}'};
        BillingServers.Response notUtf8 = server.send("POST", WEBHOOK, null, "application/json", latin1,
                "Stripe-Signature", "t=1,v1=00");

        assertEquals(400, broken.status(), broken.toString());
        assertEquals(400, array.status(), array.toString());
        assertEquals(413, tooLarge.status());
        assertEquals(415, form.status());
        assertEquals(400, notUtf8.status());
        assertEquals(405, server.get(WEBHOOK, null).status());
    }
}

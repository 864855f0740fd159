package fi.hg.bus.app.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Stripe webhook events as Stripe sends them: event objects in Stripe's JSON shape, signed in the
 * {@code Stripe-Signature} header as {@code t=<unix time>,v1=<hex HMAC-SHA256 of "t.payload">} with
 * the endpoint's signing secret. Written here by hand, not with stripe-java, so that the server's
 * verification is checked against the format itself.
 */
final class StripeWebhooks {

    static final String SECRET = "whsec_test_0123456789abcdefghijklmnop";
    static final String API_VERSION = "2026-07-29.dahlia";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StripeWebhooks() {
    }

    static String sign(String payload, String secret, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String v1 = HexFormat.of().formatHex(mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8)));
            return "t=" + timestamp + ",v1=" + v1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(String payload) {
        return sign(payload, SECRET, Instant.now().getEpochSecond());
    }

    static ObjectNode event(String id, String type, long created, ObjectNode object, String apiVersion) {
        ObjectNode e = JSON.createObjectNode();
        e.put("id", id);
        e.put("object", "event");
        e.put("api_version", apiVersion);
        e.put("created", created);
        e.putObject("data").set("object", object);
        e.put("livemode", false);
        e.put("pending_webhooks", 1);
        e.putObject("request").putNull("id").putNull("idempotency_key");
        e.put("type", type);
        return e;
    }

    static ObjectNode checkoutSession(UUID account, String customer, String subscription, String plan, String paymentStatus) {
        ObjectNode s = JSON.createObjectNode();
        s.put("id", "cs_test_" + UUID.randomUUID().toString().replace("-", ""));
        s.put("object", "checkout.session");
        s.put("mode", "subscription");
        s.put("status", "complete");
        s.put("payment_status", paymentStatus);
        s.put("client_reference_id", account == null ? null : account.toString());
        s.put("customer", customer);
        s.put("subscription", subscription);
        s.put("livemode", false);
        s.put("created", Instant.now().getEpochSecond());
        ObjectNode metadata = s.putObject("metadata");
        if (account != null) {
            metadata.put("bus_account_id", account.toString());
        }
        if (plan != null) {
            metadata.put("bus_plan_id", plan);
        }
        metadata.put("bus_features", "llm:proxy");
        return s;
    }

    static ObjectNode subscription(String id, UUID account, String customer, String status, String lookupKey) {
        ObjectNode s = JSON.createObjectNode();
        s.put("id", id);
        s.put("object", "subscription");
        s.put("customer", customer);
        s.put("status", status);
        s.put("livemode", false);
        s.put("created", Instant.now().getEpochSecond());
        ObjectNode metadata = s.putObject("metadata");
        if (account != null) {
            metadata.put("bus_account_id", account.toString());
            metadata.put("bus_plan_id", "llm-basic");
            metadata.put("bus_features", "llm:proxy");
        }
        ObjectNode items = s.putObject("items");
        items.put("object", "list");
        ObjectNode item = items.putArray("data").addObject();
        item.put("id", "si_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14));
        item.put("object", "subscription_item");
        item.put("quantity", 1);
        ObjectNode price = item.putObject("price");
        price.put("id", "price_" + (lookupKey == null ? "none" : lookupKey.replace("-", "_")));
        price.put("object", "price");
        price.put("currency", "eur");
        price.put("unit_amount", 1000);
        if (lookupKey == null) {
            price.putNull("lookup_key");
        } else {
            price.put("lookup_key", lookupKey);
        }
        items.put("has_more", false);
        items.put("url", "/v1/subscription_items?subscription=" + id);
        return s;
    }

    static String text(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

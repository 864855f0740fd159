package fi.hg.bus.app.billing;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.Main;
import fi.hg.bus.app.config.Env;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bus operator stripe test} and {@code … catalog sync} against a local Stripe-compatible server. */
class StripeOperatorCliTest {

    private FakeStripe stripe;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        stripe = FakeStripe.start();
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    record Run(int code, String out, String err) {
    }

    private Run bus(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("BUS_STRIPE_API_BASE", stripe.base());
        env.put("BUS_STRIPE_TIMEOUT", "3s");
        env.putAll(extraEnv);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Env(env), args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Path keyFile(String key) throws IOException {
        Path file = dir.resolve("stripe.key");
        Files.writeString(file, key + "\n");
        return file;
    }

    @Test
    void test_reports_the_mode_and_never_prints_the_key() throws IOException {
        Run run = bus(Map.of(), "operator", "stripe", "test", "--api-key-file", keyFile(FakeStripe.KEY).toString());
        Run fromEnv = bus(Map.of("BUS_STRIPE_SECRET_KEY", FakeStripe.KEY), "operator", "stripe", "test", "--format", "json");

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("test mode"), run.out());
        assertTrue(run.out().contains("sk_test key works"), run.out());
        assertFalse((run.out() + run.err() + fromEnv.out() + fromEnv.err()).contains(FakeStripe.KEY));
        assertEquals(0, fromEnv.code(), fromEnv.err());
        JsonNode json = BillingServers.JSON.readTree(fromEnv.out());
        assertEquals("test", json.get("mode").asText());
        assertFalse(json.get("livemode").asBoolean());
        assertTrue(stripe.requests("GET", "/v1/balance").stream().allMatch(r -> r.idempotencyKey() == null),
                "a read carries no idempotency key");
    }

    @Test
    void a_missing_publishable_or_refused_key_exits_3() throws IOException {
        Run none = bus(Map.of(), "operator", "stripe", "test");
        Run publishable = bus(Map.of(), "operator", "stripe", "test", "--api-key-file", keyFile("pk_test_abcdef0123456789").toString());
        Run refused = bus(Map.of("BUS_STRIPE_SECRET_KEY", "sk_test_wrongkey0123456789"), "operator", "stripe", "test");
        Run missingFile = bus(Map.of(), "operator", "stripe", "test", "--api-key-file", dir.resolve("nope").toString());

        assertEquals(3, none.code());
        assertTrue(none.err().contains("--api-key-file"), none.err());
        assertEquals(3, publishable.code());
        assertTrue(publishable.err().contains("publishable key"), publishable.err());
        assertFalse(publishable.err().contains("abcdef0123456789"), publishable.err());
        assertEquals(3, refused.code(), refused.err());
        assertTrue(refused.err().contains("refused the API key"), refused.err());
        assertFalse(refused.err().contains("wrongkey0123456789"), refused.err());
        assertEquals(3, missingFile.code());
    }

    @Test
    void catalog_sync_creates_products_prices_and_meters_once_and_prints_their_ids() throws IOException {
        Path catalog = dir.resolve("catalog.json");
        Files.writeString(catalog, BillingServers.CATALOG);
        Path key = keyFile(FakeStripe.KEY);

        Run first = bus(Map.of(), "operator", "stripe", "catalog", "sync", "--file", catalog.toString(),
                "--api-key-file", key.toString(), "--format", "json");
        Run second = bus(Map.of(), "operator", "stripe", "catalog", "sync", "--file", catalog.toString(),
                "--api-key-file", key.toString());

        assertEquals(0, first.code(), first.err());
        JsonNode objects = BillingServers.JSON.readTree(first.out()).get("objects");
        List<String> created = new java.util.ArrayList<>();
        objects.forEach(o -> created.add(o.get("kind").asText() + " " + o.get("name").asText() + " " + o.get("action").asText()));
        assertTrue(created.containsAll(List.of("product llm created", "product runner created",
                "price llm-basic-monthly created", "price llm-pro-monthly created", "price bus_runner_eur_month created",
                "meter bus_llm_tokens created", "meter bus_container_runtime_seconds created")), created.toString());
        objects.forEach(o -> assertTrue(o.get("stripe_id").asText().matches("(bus_|price_|mtr_).+"), o.toString()));
        FakeStripe.Request meter = stripe.requests("POST", "/v1/billing/meters").getFirst();
        assertEquals("sum", meter.param("default_aggregation[formula]"));
        assertEquals("stripe_customer_id", meter.param("customer_mapping[event_payload_key]"));
        assertEquals("value", meter.param("value_settings[event_payload_key]"));
        FakeStripe.Request price = stripe.requests("POST", "/v1/prices").stream()
                .filter(p -> "llm-pro-monthly".equals(p.param("lookup_key"))).findFirst().orElseThrow();
        assertEquals("5000", price.param("unit_amount"));
        assertEquals("eur", price.param("currency"));
        assertEquals("month", price.param("recurring[interval]"));
        assertEquals("bus_llm", price.param("product"));

        assertEquals(0, second.code(), second.err());
        assertFalse(second.out().contains("created"), second.out());
        assertTrue(second.out().contains("exists"), second.out());
        assertTrue(second.out().startsWith("KIND"), second.out());
        assertEquals(3, stripe.requests("POST", "/v1/prices").size(), "the second run created no price");

        Files.writeString(catalog, BillingServers.CATALOG.replace("\"unit_amount\":5000", "\"unit_amount\":5500"));
        Run changed = bus(Map.of(), "operator", "stripe", "catalog", "sync", "--file", catalog.toString(),
                "--api-key-file", key.toString());
        assertEquals(0, changed.code(), changed.err());
        assertTrue(changed.out().lines().anyMatch(l -> l.contains("llm-pro-monthly") && l.contains("replaced price_")), changed.out());
        FakeStripe.Request replacement = stripe.requests("POST", "/v1/prices").getLast();
        assertEquals("true", replacement.param("transfer_lookup_key"));
        assertEquals("5500", replacement.param("unit_amount"));
    }

    @Test
    void a_catalog_file_that_is_missing_broken_or_invalid_is_refused_before_stripe_is_called() throws IOException {
        Path key = keyFile(FakeStripe.KEY);
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"plans\":[");
        Path invalid = dir.resolve("invalid.json");
        Files.writeString(invalid, "{\"plans\":[{\"id\":\"a\",\"quotas\":[{\"feature\":\"x\",\"meter_event_name\":\"m\","
                + "\"window\":\"fortnight\",\"limit\":0}]}]}");
        int before = stripe.requests().size();

        Run missing = bus(Map.of(), "operator", "stripe", "catalog", "sync", "--file", dir.resolve("none.json").toString(),
                "--api-key-file", key.toString());
        Run notJson = bus(Map.of(), "operator", "stripe", "catalog", "sync", "--file", broken.toString(), "--api-key-file", key.toString());
        Run wrong = bus(Map.of(), "operator", "stripe", "catalog", "sync", "--file", invalid.toString(), "--api-key-file", key.toString());
        Run noFile = bus(Map.of(), "operator", "stripe", "catalog", "sync", "--api-key-file", key.toString());
        Path huge = dir.resolve("huge.json");
        Files.writeString(huge, "{\"products\":[],\"pad\":\"" + "a".repeat(1_100_000) + "\"}");
        Run tooLarge = bus(Map.of(), "operator", "stripe", "catalog", "sync", "--file", huge.toString(), "--api-key-file", key.toString());
        Path hostile = dir.resolve("hostile.json");
        Files.writeString(hostile, "{\"plans\":[{\"id\":\"<script>\",\"name\":\"\\u001b[31mred\"}]}");
        Run escaped = bus(Map.of(), "operator", "stripe", "catalog", "sync", "--file", hostile.toString(), "--api-key-file", key.toString());

        assertEquals(1, missing.code());
        assertEquals(1, notJson.code());
        assertTrue(notJson.err().contains("not valid JSON"), notJson.err());
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().contains("window"), wrong.err());
        assertEquals(2, noFile.code());
        assertEquals(1, tooLarge.code());
        assertTrue(tooLarge.err().contains("larger than 1 MiB"), tooLarge.err());
        assertEquals(1, escaped.code());
        assertTrue(escaped.err().contains("plans[0].id"), escaped.err());
        assertEquals(before, stripe.requests().size(), "Stripe was not called");
    }

    @Test
    void stripe_failing_during_a_sync_is_exit_1_with_stripes_reason() throws IOException {
        Path catalog = dir.resolve("catalog.json");
        Files.writeString(catalog, BillingServers.CATALOG.replace("llm-basic-monthly", "llm-basic-fail"));
        stripe.fail("POST", "/v1/prices", 1, 400, "invalid_request_error", "parameter_invalid_integer", "Invalid integer: x");

        Run run = bus(Map.of(), "operator", "stripe", "catalog", "sync", "--file", catalog.toString(),
                "--api-key-file", keyFile(FakeStripe.KEY).toString());

        assertEquals(1, run.code());
        assertTrue(run.err().contains("Invalid integer: x"), run.err());
    }
}

package fi.hg.bus.app.quota;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.quota.QuotaTestServers.Api;
import fi.hg.bus.app.quota.QuotaTestServers.Response;
import fi.hg.bus.app.serve.BusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static fi.hg.bus.app.quota.QuotaTestServers.API;
import static fi.hg.bus.app.quota.QuotaTestServers.INTERNAL;
import static fi.hg.bus.app.quota.QuotaTestServers.JSON;
import static fi.hg.bus.app.quota.QuotaTestServers.token;
import static fi.hg.bus.app.quota.QuotaTestServers.usageItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalog, entitlement check, reservations and status over HTTP, against one server on PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaApiTest {

    static final String CATALOG = """
            {"products":[{"id":"llm","name":"LLM access"}],
             "meters":[{"name":"bus_llm_tokens","unit":"tokens"}],
             "plans":[
              {"id":"basic","name":"Basic","product_id":"llm","features":["llm:proxy"],
               "prices":[{"currency":"eur","unit_amount":1000,"interval":"month"}],
               "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"daily","limit":1000,"upgrade_plan_id":"pro"},
                         {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"total","limit":100000,"upgrade_plan_id":"pro"}],
               "provider_mappings":{"stripe":{"price_lookup_key":"basic-monthly"}}},
              {"id":"tiny","name":"Tiny","product_id":"llm","features":["llm:proxy"],
               "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"day","limit":10,"upgrade_plan_id":"basic"},
                         {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"lifetime","limit":10,"upgrade_plan_id":"pro"}]},
              {"id":"pro","name":"Pro","product_id":"llm","features":["llm:proxy"],
               "prices":[{"currency":"eur","unit_amount":5000,"interval":"month"}],
               "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"monthly","limit":1000000}]}]}""";

    private DatabaseUrl db;
    private BusServer server;
    private Api api;

    @BeforeAll
    void start() {
        db = TestDatabases.create();
        server = QuotaTestServers.start(QuotaTestServers.env(db));
        api = new Api(server);
        assertEquals(200, api.putCatalog(CATALOG).status());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        TestDatabases.drop(db);
    }

    private UUID activeAccount(String plan) {
        UUID account = UUID.randomUUID();
        Response r = api.activate(account, plan);
        assertEquals(200, r.status(), r.toString());
        return account;
    }

    private static void assertBadRequest(Response r, String naming) {
        assertEquals(400, r.status(), r.toString());
        assertEquals("bad_request", r.errorType(), r.toString());
        assertTrue(r.errorMessage().contains(naming), "the message names " + naming + ": " + r);
    }

    // --- catalog ---

    @Test
    void a_stored_catalog_reads_back_with_its_version_and_each_put_makes_the_next_version() {
        Response before = api.getCatalog();
        long version = before.body().path("version").asLong();

        Response put = api.putCatalog(CATALOG);
        assertEquals(200, put.status(), put.toString());
        assertEquals(version + 1, put.body().path("version").asLong());

        Response got = api.getCatalog();
        assertEquals(200, got.status());
        assertEquals(put.body(), got.body());
        JsonNode basic = got.body().path("plans").get(0);
        assertEquals("basic", basic.path("id").asText());
        assertEquals("llm", basic.path("product_id").asText());
        assertEquals("day", basic.path("quotas").get(0).path("window").asText(), "aliases are stored by their canonical name");
        assertEquals(1000, basic.path("quotas").get(0).path("limit").asLong());
        assertEquals("pro", basic.path("quotas").get(0).path("upgrade_plan_id").asText());
        assertEquals(1000, basic.path("prices").get(0).path("unit_amount").asLong());
        assertEquals("basic-monthly", basic.path("provider_mappings").path("stripe").path("price_lookup_key").asText());
        assertEquals("total", got.body().path("plans").get(1).path("quotas").get(1).path("window").asText());

        assertEquals(version + 2, api.putCatalog(CATALOG).body().path("version").asLong());
    }

    @Test
    void an_invalid_catalog_is_refused_with_every_problem_and_the_previous_one_stays_active() {
        Response before = api.getCatalog();
        String invalid = """
                {"products":[{"id":"llm"}],
                 "meters":[{"name":"bus_llm_tokens"}],
                 "plans":[
                  {"id":"a","product_id":"nope","features":["llm:proxy"],
                   "prices":[{"currency":"EUR","unit_amount":-1,"interval":"fortnight"}],
                   "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"fortnightly","limit":10},
                             {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"day","limit":0,"upgrade_plan_id":"ghost"},
                             {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"daily","limit":5,"upgrade_plan_id":"a"}],
                   "provider_mappings":{"stripe":{"secret":"sk_live_abcdef"}}},
                  {"id":"a","colour":"red"}]}""";

        Response r = api.putCatalog(invalid);

        assertEquals(400, r.status(), r.toString());
        assertEquals("bad_request", r.errorType());
        List<String> problems = new ArrayList<>();
        r.body().path("error").path("problems").forEach(p -> problems.add(p.asText()));
        List<String> expectedPlaces = List.of(
                "plans[0].product_id",
                "plans[0].prices[0].currency",
                "plans[0].prices[0].unit_amount",
                "plans[0].prices[0].interval",
                "plans[0].quotas[0].window",
                "plans[0].quotas[1].limit",
                "plans[0].quotas[1].upgrade_plan_id",
                "plans[0].quotas[2].upgrade_plan_id",
                "plans[0].quotas[2]:",
                "plans[0].provider_mappings.stripe.secret",
                "plans[1].colour",
                "plans[1].id");
        for (String place : expectedPlaces) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(place)), place + " is missing from " + problems);
        }
        assertEquals(expectedPlaces.size(), problems.size(), String.join("\n", problems));
        assertFalse(r.errorMessage().contains("sk_live_abcdef"), "the secret is not echoed: " + r.errorMessage());

        Response after = api.getCatalog();
        assertEquals(before.body(), after.body());
    }

    @Test
    void a_catalog_that_is_not_json_is_refused_and_changes_nothing() {
        Response before = api.getCatalog();
        assertEquals(400, api.putCatalog("{\"plans\":[").status());
        assertEquals(400, api.putCatalog("{\"plans\":[]} trailing").status());
        assertEquals(before.body(), api.getCatalog().body());
    }

    // --- entitlement check ---

    @Test
    void an_unknown_account_needs_billing() {
        Response r = api.check(UUID.randomUUID(), 1);
        assertEquals(200, r.status());
        assertEquals(JSON.createObjectNode().put("allowed", false).put("reason", "billing_required")
                .put("command", "bus billing setup"), r.body());
    }

    @Test
    void an_account_activated_by_a_subscription_update_is_allowed() {
        UUID account = UUID.randomUUID();
        assertFalse(api.check(account, 1).body().path("allowed").asBoolean());

        Response applied = api.activate(account, "basic");
        assertEquals(200, applied.status(), applied.toString());
        assertTrue(applied.body().path("applied").asBoolean());
        assertFalse(applied.body().path("duplicate").asBoolean());

        Response r = api.check(account, 100);
        assertEquals(JSON.createObjectNode().put("allowed", true).put("reason", "billing_active").put("plan_id", "basic"), r.body());
    }

    @Test
    void a_repeated_subscription_update_changes_nothing() {
        UUID account = activeAccount("basic");
        Response cancel = api.post("/api/internal/billing/subscription-updates", """
                {"event_id":"activate-%s","account_id":"%s","provider":"local","status":"canceled"}""".formatted(account, account));
        assertEquals(200, cancel.status());
        assertFalse(cancel.body().path("applied").asBoolean());
        assertTrue(cancel.body().path("duplicate").asBoolean());
        assertEquals("active", api.status(account).body().path("status").asText());
        assertTrue(api.check(account, 1).body().path("allowed").asBoolean());
    }

    @Test
    void a_spent_day_names_its_window_plan_upgrade_and_reset() {
        UUID account = activeAccount("basic");
        Instant before = Instant.now();
        assertTrue(api.reserve(account, "fill-" + account, 1000, 300).body().path("allowed").asBoolean());

        Response r = api.check(account, 1);

        assertEquals(200, r.status());
        JsonNode b = r.body();
        assertFalse(b.path("allowed").asBoolean());
        assertEquals("quota_exceeded", b.path("reason").asText());
        assertEquals("bus billing setup", b.path("command").asText());
        assertEquals("basic", b.path("plan_id").asText());
        assertEquals("pro", b.path("recommended_plan").asText());
        JsonNode item = b.path("usage");
        assertEquals("llm:proxy", item.path("feature").asText());
        assertEquals("bus_llm_tokens", item.path("meter_event_name").asText());
        assertEquals("day", item.path("window").asText());
        assertEquals(0, item.path("used").asLong());
        assertEquals(1000, item.path("reserved").asLong());
        assertEquals(1000, item.path("limit").asLong());
        assertEquals(0, item.path("remaining").asLong());
        assertTrue(item.path("exceeded").asBoolean());
        assertEquals("pro", item.path("upgrade_plan_id").asText());
        Instant resetsAt = Instant.parse(item.path("resets_at").asText());
        assertEquals(LocalTime.MIDNIGHT, resetsAt.atZone(ZoneOffset.UTC).toLocalTime(), "a day resets at UTC midnight");
        assertTrue(resetsAt.isAfter(before) && !resetsAt.isAfter(before.plus(Duration.ofDays(1))), resetsAt.toString());
    }

    @Test
    void when_the_total_and_the_day_are_both_spent_the_total_is_named_without_a_reset() {
        UUID account = activeAccount("tiny");
        assertEquals(1, api.use(account, "tiny-" + account, 10).body().path("accepted").asInt());

        JsonNode b = api.check(account, 0).body();

        assertEquals("quota_exceeded", b.path("reason").asText());
        assertEquals("tiny", b.path("plan_id").asText());
        assertEquals("pro", b.path("recommended_plan").asText());
        assertEquals("total", b.path("usage").path("window").asText());
        assertEquals(10, b.path("usage").path("used").asLong());
        assertTrue(b.path("usage").path("resets_at").isMissingNode(), b.toString());
    }

    @Test
    void a_quantity_that_would_pass_the_limit_is_refused_though_the_window_is_not_spent() {
        UUID account = activeAccount("tiny");
        api.use(account, "part-" + account, 4);
        assertTrue(api.check(account, 6).body().path("allowed").asBoolean());
        JsonNode b = api.check(account, 7).body();
        assertEquals("quota_exceeded", b.path("reason").asText());
        assertFalse(b.path("usage").path("exceeded").asBoolean());
        assertEquals(6, b.path("usage").path("remaining").asLong());
    }

    // --- reservations ---

    @Test
    void a_held_reservation_shows_in_status_and_usage_with_its_id_settles_it() {
        UUID account = activeAccount("basic");
        String id = "req-" + UUID.randomUUID();
        assertTrue(api.reserve(account, id, 300, 300).body().path("allowed").asBoolean());

        JsonNode held = api.status(account).body();
        assertEquals(300, usageItem(held, "day").path("reserved").asLong());
        assertEquals(0, usageItem(held, "day").path("used").asLong());
        assertEquals(700, usageItem(held, "day").path("remaining").asLong());
        assertEquals(300, usageItem(held, "total").path("reserved").asLong());

        Response used = api.use(account, id, 120);
        assertEquals(JSON.createObjectNode().put("accepted", 1).put("duplicates", 0), used.body());

        JsonNode settled = api.status(account).body();
        for (String window : List.of("day", "total")) {
            assertEquals(120, usageItem(settled, window).path("used").asLong(), window);
            assertEquals(0, usageItem(settled, window).path("reserved").asLong(), window);
        }

        Response replay = api.use(account, id, 120);
        assertEquals(JSON.createObjectNode().put("accepted", 0).put("duplicates", 1), replay.body());
        assertEquals(settled, api.status(account).body());

        JsonNode release = api.release(id).body();
        assertFalse(release.path("released").asBoolean());
        assertEquals("settled", release.path("state").asText());
    }

    @Test
    void repeating_a_check_with_the_same_reservation_id_answers_the_same_and_holds_nothing_more() {
        UUID account = activeAccount("basic");
        String id = "req-" + UUID.randomUUID();
        Response first = api.reserve(account, id, 400, 300);
        Response again = api.reserve(account, id, 400, 300);
        Response bigger = api.reserve(account, id, 900, 300);
        assertEquals(first.body(), again.body());
        assertEquals(first.body(), bigger.body());
        assertEquals(400, usageItem(api.status(account).body(), "day").path("reserved").asLong());
    }

    @Test
    void a_reservation_id_used_for_another_account_is_a_conflict() {
        UUID account = activeAccount("basic");
        UUID other = activeAccount("basic");
        String id = "req-" + UUID.randomUUID();
        api.reserve(account, id, 10, 300);
        Response r = api.reserve(other, id, 10, 300);
        assertEquals(409, r.status(), r.toString());
        assertEquals("conflict", r.errorType());
        assertEquals(0, usageItem(api.status(other).body(), "day").path("reserved").asLong());
    }

    @Test
    void releasing_a_reservation_gives_its_quantity_back_once() {
        UUID account = activeAccount("basic");
        String id = "req-" + UUID.randomUUID();
        api.reserve(account, id, 250, 300);

        Response first = api.release(id);
        assertEquals(200, first.status(), first.toString());
        assertEquals(JSON.createObjectNode().put("id", id).put("released", true).put("state", "released"), first.body());
        assertEquals(0, usageItem(api.status(account).body(), "day").path("reserved").asLong());

        Response again = api.release(id);
        assertEquals(200, again.status());
        assertFalse(again.body().path("released").asBoolean());
        assertEquals(0, usageItem(api.status(account).body(), "day").path("reserved").asLong());

        Response unknown = api.release("never-made-" + UUID.randomUUID());
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.errorType());
    }

    @Test
    void a_reservation_is_released_when_its_ttl_ends() throws InterruptedException {
        UUID account = activeAccount("basic");
        String id = "req-" + UUID.randomUUID();
        assertTrue(api.reserve(account, id, 500, 1).body().path("allowed").asBoolean());
        assertEquals(500, usageItem(api.status(account).body(), "day").path("reserved").asLong());

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long reserved;
        do {
            Thread.sleep(200);
            reserved = usageItem(api.status(account).body(), "day").path("reserved").asLong();
        } while (reserved != 0 && System.nanoTime() < deadline);

        assertEquals(0, reserved, "the reservation was not released after its TTL");
        assertEquals(0, usageItem(api.status(account).body(), "total").path("reserved").asLong());
        JsonNode release = api.release(id).body();
        assertFalse(release.path("released").asBoolean());
        assertEquals("expired", release.path("state").asText());
    }

    // --- status ---

    @Test
    void the_public_status_shows_only_the_callers_own_account() {
        UUID me = activeAccount("basic");
        UUID other = activeAccount("basic");
        api.use(me, "mine-" + me, 11);
        api.use(other, "theirs-" + other, 22);

        Response r = api.send("GET", "/api/v1/billing/status", token(me.toString(), API, "billing:read"), null);

        assertEquals(200, r.status(), r.toString());
        JsonNode b = r.body();
        assertEquals(me.toString(), b.path("account_id").asText());
        assertEquals("active", b.path("status").asText());
        assertEquals("basic", b.path("plan_id").asText());
        assertEquals(11, usageItem(b, "day").path("used").asLong());
        assertFalse(b.path("setup_required").asBoolean());
        assertFalse(b.path("upgrade_required").asBoolean());
        assertEquals(b, api.status(me).body(), "the public and the internal route agree");
    }

    @Test
    void the_public_status_of_an_account_never_seen_asks_for_setup() {
        UUID stranger = UUID.randomUUID();
        JsonNode b = api.send("GET", "/api/v1/billing/status", token(stranger.toString(), API, "billing:read"), null).body();
        assertEquals(stranger.toString(), b.path("account_id").asText());
        assertEquals("missing", b.path("status").asText());
        assertTrue(b.path("setup_required").asBoolean());
        assertEquals("setup_billing", b.path("next_action").asText());
        assertEquals("bus billing setup", b.path("command").asText());
    }

    @Test
    void a_spent_window_asks_for_an_upgrade_in_status() {
        UUID account = activeAccount("tiny");
        api.use(account, "spend-" + account, 10);
        JsonNode b = api.status(account).body();
        assertTrue(b.path("upgrade_required").asBoolean());
        assertEquals("upgrade_plan", b.path("next_action").asText());
        assertEquals("pro", b.path("recommended_plan").asText());
        assertTrue(usageItem(b, "total").path("exceeded").asBoolean());
        assertTrue(usageItem(b, "total").path("resets_at").isMissingNode());
        assertTrue(usageItem(b, "day").path("resets_at").isTextual());
    }

    @Test
    void an_internal_token_is_forbidden_on_the_public_status() {
        UUID account = UUID.randomUUID();
        Response r = api.send("GET", "/api/v1/billing/status", token(account.toString(), INTERNAL, "billing:read"), null);
        assertEquals(403, r.status(), r.toString());
        assertEquals("forbidden", r.errorType());
    }

    @Test
    void a_user_token_without_billing_read_is_forbidden() {
        Response r = api.send("GET", "/api/v1/billing/status", token(UUID.randomUUID().toString(), API, "billing:setup"), null);
        assertEquals(403, r.status(), r.toString());
    }

    @Test
    void a_user_token_whose_subject_is_not_an_account_id_is_forbidden() {
        Response r = api.send("GET", "/api/v1/billing/status", token("alice@example.com", API, "billing:read"), null);
        assertEquals(403, r.status(), r.toString());
        assertEquals("forbidden", r.errorType());
    }

    @Test
    void a_user_token_cannot_read_the_internal_status() {
        UUID me = UUID.randomUUID();
        Response r = api.send("GET", "/api/internal/billing/accounts/" + me + "/status", token(me.toString(), API, "billing:read"), null);
        assertEquals(403, r.status(), r.toString());
    }

    @Test
    void the_internal_status_of_a_non_uuid_id_is_a_bad_request() {
        assertBadRequest(api.get("/api/internal/billing/accounts/not-a-uuid/status"), "account_id");
    }

    @Test
    void a_missing_token_is_refused() {
        Response r = api.send("POST", "/api/internal/billing/entitlement-check", null, "{}");
        assertEquals(401, r.status());
        assertEquals("invalid_auth", r.errorType());
    }

    // --- bad input ---

    @Test
    void entitlement_check_bodies_with_errors_are_refused_naming_the_field() {
        UUID account = activeAccount("basic");
        String a = account.toString();
        String[][] cases = {
                {"{}", "account_id"},
                {"{\"scope\":\"llm:proxy\"}", "account_id"},
                {"{\"account_id\":\"not-a-uuid\",\"scope\":\"llm:proxy\"}", "account_id"},
                {"{\"account_id\":42,\"scope\":\"llm:proxy\"}", "account_id"},
                {"{\"account_id\":\"" + a + "\"}", "scope"},
                {"{\"account_id\":\"" + a + "\",\"scope\":\"llm:proxy\",\"colour\":\"red\"}", "colour"},
                {"{\"account_id\":\"" + a + "\",\"scope\":\"llm:proxy\",\"usage\":{\"quantity\":1,\"extra\":1}}", "usage.extra"},
                {"{\"account_id\":\"" + a + "\",\"scope\":\"llm:proxy\",\"reservation\":{\"id\":\"r-no-quantity\"}}", "usage.quantity"},
                {"{\"account_id\":\"" + a + "\",\"scope\":\"llm:proxy\",\"usage\":{\"quantity\":0},\"reservation\":{\"id\":\"r-zero\"}}",
                        "usage.quantity"},
                {"{\"account_id\":\"" + a + "\",\"scope\":\"llm:proxy\",\"usage\":{\"quantity\":1},\"reservation\":{\"id\":\"r-ttl0\",\"ttl_seconds\":0}}",
                        "reservation.ttl_seconds"},
                {"{\"account_id\":\"" + a + "\",\"scope\":\"llm:proxy\",\"usage\":{\"quantity\":1},\"reservation\":{\"id\":\"r-ttl\",\"ttl_seconds\":86401}}",
                        "reservation.ttl_seconds"},
                {"{\"account_id\":\"" + a + "\",\"scope\":\"llm:proxy\",\"usage\":{\"quantity\":1},\"reservation\":{\"ttl_seconds\":5}}",
                        "reservation.id"},
                {"{\"account_id\":\"" + a + "\",\"scope\":\"llm:proxy\",\"usage\":{\"quantity\":-1}}", "usage.quantity"},
                {"{\"account_id\":\"" + a + "\",\"scope\":\"llm:proxy\",\"usage\":{\"quantity\":1.5}}", "usage.quantity"},
                {"{\"account_id\":\"" + a + "\",\"scope\":\"llm:proxy\",\"usage\":{\"quantity\":\"5\"}}", "usage.quantity"},
                {"{\"account_id\":\"" + a + "\",\"scope\":\"llm:proxy\",\"usage\":5}", "usage"},
        };
        for (String[] c : cases) {
            assertBadRequest(api.post("/api/internal/billing/entitlement-check", c[0]), c[1]);
        }
        Response trailing = api.post("/api/internal/billing/entitlement-check",
                "{\"account_id\":\"" + a + "\",\"scope\":\"llm:proxy\"} {}");
        assertEquals(400, trailing.status(), trailing.toString());
        assertEquals(0, usageItem(api.status(account).body(), "day").path("reserved").asLong(), "a refused check holds nothing");
        assertTrue(api.reserve(account, "r-ttl0", 5, 300).body().path("allowed").asBoolean(),
                "a refused check does not claim its reservation id");
        assertEquals(5, usageItem(api.status(account).body(), "day").path("reserved").asLong());
    }
}

package fi.hg.bus.app.quota;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.config.ConfigException;
import fi.hg.bus.app.quota.QuotaTestServers.Api;
import fi.hg.bus.app.serve.BusServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static fi.hg.bus.app.quota.QuotaTestServers.JSON;
import static fi.hg.bus.app.quota.QuotaTestServers.usageItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BUS_BILLING_QUOTA_CONFIG and BUS_USAGE_BILLING_EXPORT as {@code bus serve} reads and applies them. */
class QuotaConfigTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** The settings a server needs, on a database that is never reached: enough to read the configuration. */
    private static Map<String, String> envWith(String name, String value) {
        Map<String, String> env = QuotaTestServers.env(new DatabaseUrl("jdbc:postgresql://127.0.0.1:1/none", "u", "p"));
        env.put(name, value);
        return env;
    }

    private ConfigException badQuotaFile(String content) throws IOException {
        Path p = file("quotas-" + UUID.randomUUID() + ".json", content);
        ConfigException e = assertThrows(ConfigException.class,
                () -> QuotaTestServers.config(envWith("BUS_BILLING_QUOTA_CONFIG", p.toString())));
        assertTrue(e.getMessage().startsWith("BUS_BILLING_QUOTA_CONFIG"), e.getMessage());
        return e;
    }

    @Test
    void the_quota_file_is_applied_at_start_and_a_second_replica_adds_no_version() throws IOException {
        Path quotas = file("quotas.json", """
                {"plans":[
                  {"id":"trial","quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"daily","limit":50,"upgrade_plan_id":"team"}]},
                  {"id":"team","quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"lifetime","limit":5000},
                                         {"feature":"container:run","meter_event_name":"bus_container_runtime_seconds","window":"hourly","limit":60}]}]}""");
        DatabaseUrl db = TestDatabases.create();
        Map<String, String> env = QuotaTestServers.env(db);
        env.put("BUS_BILLING_QUOTA_CONFIG", quotas.toString());
        try (BusServer first = QuotaTestServers.start(env)) {
            Api api = new Api(first);
            JsonNode catalog = api.getCatalog().body();
            assertEquals(1, catalog.path("version").asLong(), catalog.toString());
            JsonNode trial = catalog.path("plans").get(0);
            assertEquals("trial", trial.path("id").asText());
            assertEquals("day", trial.path("quotas").get(0).path("window").asText());
            assertEquals(50, trial.path("quotas").get(0).path("limit").asLong());
            assertEquals("team", trial.path("quotas").get(0).path("upgrade_plan_id").asText());
            JsonNode team = catalog.path("plans").get(1);
            assertEquals("team", team.path("id").asText());
            assertEquals("total", team.path("quotas").get(0).path("window").asText());
            assertEquals("hour", team.path("quotas").get(1).path("window").asText());

            try (BusServer second = QuotaTestServers.start(env)) {
                assertEquals(1, new Api(second).getCatalog().body().path("version").asLong());
            }

            UUID account = UUID.randomUUID();
            api.activate(account, "trial");
            assertTrue(api.reserve(account, "trial-1", 50, 60).body().path("allowed").asBoolean());
            JsonNode denied = api.check(account, 1).body();
            assertEquals("quota_exceeded", denied.path("reason").asText());
            assertEquals("team", denied.path("recommended_plan").asText());
        } finally {
            TestDatabases.drop(db);
        }
    }

    @Test
    void a_quota_file_that_is_not_json_stops_startup() throws IOException {
        assertTrue(badQuotaFile("{\"plans\":[").getMessage().contains("BUS_BILLING_QUOTA_CONFIG"));
        assertTrue(badQuotaFile("[]").getMessage().contains("JSON object"));
    }

    @Test
    void a_missing_quota_file_stops_startup() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> QuotaTestServers.config(envWith("BUS_BILLING_QUOTA_CONFIG", dir.resolve("nope.json").toString())));
        assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
    }

    @Test
    void a_quota_file_with_an_unknown_window_stops_startup_naming_it() throws IOException {
        ConfigException e = badQuotaFile("""
                {"plans":[{"id":"trial","quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"fortnightly","limit":5}]}]}""");
        assertTrue(e.getMessage().contains("plans[0].quotas[0].window"), e.getMessage());
        assertTrue(e.getMessage().contains("fortnightly"), e.getMessage());
    }

    @Test
    void a_quota_file_with_a_limit_that_is_not_positive_stops_startup() throws IOException {
        ConfigException e = badQuotaFile("""
                {"plans":[{"id":"trial","quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"day","limit":0}]}]}""");
        assertTrue(e.getMessage().contains("plans[0].quotas[0].limit"), e.getMessage());
    }

    @Test
    void a_quota_file_that_repeats_a_window_or_upgrades_a_plan_to_itself_stops_startup_with_both_reasons() throws IOException {
        ConfigException e = badQuotaFile("""
                {"plans":[{"id":"trial","quotas":[
                  {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"day","limit":5,"upgrade_plan_id":"trial"},
                  {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"daily","limit":6}]}]}""");
        assertTrue(e.getMessage().contains("own upgrade"), e.getMessage());
        assertTrue(e.getMessage().contains("\"day\""), e.getMessage());
    }

    @Test
    void a_quota_file_with_unknown_fields_or_a_plan_listed_twice_stops_startup() throws IOException {
        assertTrue(badQuotaFile("{\"plans\":[],\"products\":[]}").getMessage().contains("products"));
        ConfigException twice = badQuotaFile("{\"plans\":[{\"id\":\"trial\",\"quotas\":[]},{\"id\":\"trial\",\"quotas\":[]}]}");
        assertTrue(twice.getMessage().contains("plans[1].id"), twice.getMessage());
    }

    @Test
    void a_quota_file_whose_upgrade_plan_is_in_neither_file_nor_catalog_stops_startup() throws IOException {
        Path quotas = file("dangling.json", """
                {"plans":[{"id":"trial","quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"day","limit":5,"upgrade_plan_id":"ghost"}]}]}""");
        DatabaseUrl db = TestDatabases.create();
        Map<String, String> env = QuotaTestServers.env(db);
        env.put("BUS_BILLING_QUOTA_CONFIG", quotas.toString());
        try {
            RuntimeException e = assertThrows(RuntimeException.class, () -> QuotaTestServers.start(env).close());
            assertTrue(e.getMessage().contains("BUS_BILLING_QUOTA_CONFIG"), e.getMessage());
            assertTrue(e.getMessage().contains("ghost"), e.getMessage());
        } finally {
            TestDatabases.drop(db);
        }
    }

    @Test
    void with_billing_export_off_usage_is_stored_but_counts_nothing() {
        DatabaseUrl db = TestDatabases.create();
        Map<String, String> env = QuotaTestServers.env(db);
        env.put("BUS_USAGE_BILLING_EXPORT", "off");
        try (BusServer server = QuotaTestServers.start(env)) {
            Api api = new Api(server);
            api.putCatalog(QuotaApiTest.CATALOG);
            UUID account = UUID.randomUUID();
            api.activate(account, "basic");
            assertTrue(api.reserve(account, "off-1", 40, 300).body().path("allowed").asBoolean());

            assertEquals(JSON.createObjectNode().put("accepted", 1).put("duplicates", 0), api.use(account, "off-1", 30).body());
            assertEquals(1, api.use(account, "off-2", 500).body().path("accepted").asInt());

            JsonNode status = api.status(account).body();
            for (String window : new String[]{"day", "total"}) {
                assertEquals(0, usageItem(status, window).path("used").asLong(), window);
                assertEquals(0, usageItem(status, window).path("reserved").asLong(), "the reservation is settled all the same");
            }
        } finally {
            TestDatabases.drop(db);
        }
    }

    @Test
    void with_a_policy_file_a_custom_event_and_field_are_counted_and_the_defaults_are_not() throws IOException {
        Path policy = file("policy.json", """
                {"rules":[
                  {"event_type":"runtime_stop_finished","feature":"gpu:run","meter_event_name":"gpu_seconds","quantity_field":"data.gpu.seconds"},
                  {"event_type":"usage_recorded","feature":"llm:proxy","meter_event_name":"bus_llm_tokens","quantity_field":"billable_tokens"}]}""");
        DatabaseUrl db = TestDatabases.create();
        Map<String, String> env = QuotaTestServers.env(db);
        env.put("BUS_USAGE_BILLING_EXPORT", "file");
        env.put("BUS_USAGE_BILLING_EXPORT_POLICY", policy.toString());
        try (BusServer server = QuotaTestServers.start(env)) {
            Api api = new Api(server);
            assertEquals(200, api.putCatalog("""
                    {"plans":[{"id":"gpu","features":["gpu:run","llm:proxy"],"quotas":[
                      {"feature":"gpu:run","meter_event_name":"gpu_seconds","window":"total","limit":1000},
                      {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"total","limit":1000}]}]}""").status());
            UUID account = UUID.randomUUID();
            api.activate(account, "gpu");

            QuotaTestServers.Response recorded = api.post("/api/internal/usage-events", """
                    {"events":[
                      {"event_type":"runtime_stop_finished","event_id":"g1","account_id":"%s","data":{"gpu":{"seconds":42},"duration_ms":9000}},
                      {"event_type":"usage_recorded","event_id":"g2","account_id":"%s","data":{"billable_tokens":7,"total_tokens":100}},
                      {"event_type":"container_run_finished","event_id":"g3","account_id":"%s","data":{"duration_ms":5000}}]}"""
                    .formatted(account, account, account));
            assertEquals(200, recorded.status(), recorded.toString());
            assertEquals(3, recorded.body().path("accepted").asInt());

            JsonNode status = api.status(account).body();
            long gpu = 0;
            long tokens = 0;
            for (JsonNode item : status.path("usage")) {
                if (item.path("feature").asText().equals("gpu:run")) {
                    gpu = item.path("used").asLong();
                } else {
                    tokens = item.path("used").asLong();
                }
            }
            assertEquals(42, gpu, status.toString());
            assertEquals(7, tokens, status.toString());
            JsonNode check = api.post("/api/internal/billing/entitlement-check", """
                    {"account_id":"%s","scope":"gpu:run","usage":{"meter_event_name":"gpu_seconds","quantity":958}}""".formatted(account)).body();
            assertTrue(check.path("allowed").asBoolean(), check.toString());
            assertFalse(api.post("/api/internal/billing/entitlement-check", """
                    {"account_id":"%s","scope":"gpu:run","usage":{"meter_event_name":"gpu_seconds","quantity":959}}""".formatted(account))
                    .body().path("allowed").asBoolean());
        } finally {
            TestDatabases.drop(db);
        }
    }

    @Test
    void a_policy_file_that_bills_failed_work_stops_startup() throws IOException {
        Path policy = file("failed.json", """
                {"rules":[{"event_type":"request_failed","feature":"llm:proxy","meter_event_name":"bus_llm_tokens","quantity_field":"total_tokens"}]}""");
        Map<String, String> env = envWith("BUS_USAGE_BILLING_EXPORT", "file");
        env.put("BUS_USAGE_BILLING_EXPORT_POLICY", policy.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> QuotaTestServers.config(env));
        assertTrue(e.getMessage().contains("never billed"), e.getMessage());
    }
}

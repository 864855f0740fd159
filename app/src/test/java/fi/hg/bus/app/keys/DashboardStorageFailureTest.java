package fi.hg.bus.app.keys;

import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.e2e.TestServer;
import fi.hg.bus.app.quota.QuotaDatabaseProxy;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static fi.hg.bus.app.keys.KeysWorld.SUBSCRIPTION;
import static fi.hg.bus.app.keys.KeysWorld.USAGE;
import static fi.hg.bus.app.keys.KeysWorld.create;
import static fi.hg.bus.app.keys.KeysWorld.dashboard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the key's state cannot be loaded the dashboard answers 500 with the seed's error types, never 200. */
class DashboardStorageFailureTest {

    @Test
    void while_the_database_is_unreachable_the_endpoints_answer_500_and_recover_by_themselves() throws Exception {
        DatabaseUrl db = TestDatabases.create();
        URI target = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        try (QuotaDatabaseProxy proxy = new QuotaDatabaseProxy(target.getHost(), target.getPort())) {
            DatabaseUrl viaProxy = new DatabaseUrl(db.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"),
                    db.user(), db.password());
            Map<String, String> env = new HashMap<>();
            env.put("BUS_DATABASE_URL", TestServer.postgresUrl(viaProxy));
            env.put("BUS_AUTH_HS256_SECRET", TestServer.SECRET);
            try (TestServer server = TestServer.start(env, null)) {
                String key = create(server, UUID.randomUUID(), "{\"name\":\"k\"}").path("key").asText();
                assertEquals(200, dashboard(server, SUBSCRIPTION, key).status());

                proxy.cut();

                String sub = dashboard(server, SUBSCRIPTION, key).assertError(500, "upstream_error");
                assertTrue(sub.startsWith("failed to load the key's quota: usage storage is unavailable"), sub);
                assertFalse(sub.contains(db.jdbcUrl()), "no database URL in the message");
                dashboard(server, USAGE, key).assertError(500, "buzz_error");
                dashboard(server, "/dashboard/billing/usage", key).assertError(500, "buzz_error");
                dashboard(server, USAGE, "sk-short").assertError(401, "buzz_error");

                proxy.restore();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                TestServer.Response again;
                do {
                    Thread.sleep(100);
                    again = dashboard(server, SUBSCRIPTION, key);
                } while (again.status() != 200 && System.nanoTime() < deadline);
                assertEquals(200, again.status(), "recovers by itself: " + again.body());
                assertEquals(200, dashboard(server, USAGE, key).status());
            }
        } finally {
            TestDatabases.drop(db);
        }
    }

    @Test
    void a_server_without_any_store_answers_500_on_the_dashboard_and_503_on_the_keys_api() {
        Map<String, String> env = Map.of("BUS_STORE", "postgres", "BUS_AUTH_HS256_SECRET", TestServer.SECRET);
        try (TestServer server = TestServer.start(env, null)) {
            String key = "sk-" + "A".repeat(48);
            dashboard(server, SUBSCRIPTION, key).assertError(500, "upstream_error");
            dashboard(server, USAGE, key).assertError(500, "buzz_error");
            server.post(KeysWorld.KEYS, KeysWorld.user(server, UUID.randomUUID(), "keys:write"), "{\"name\":\"k\"}")
                    .assertError(503, "storage_unavailable");
        }
    }
}

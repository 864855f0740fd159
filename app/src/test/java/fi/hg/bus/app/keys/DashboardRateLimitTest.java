package fi.hg.bus.app.keys;

import fi.hg.bus.app.e2e.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static fi.hg.bus.app.keys.KeysWorld.SUBSCRIPTION;
import static fi.hg.bus.app.keys.KeysWorld.USAGE;
import static fi.hg.bus.app.keys.KeysWorld.create;
import static fi.hg.bus.app.keys.KeysWorld.dashboard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code BUS_RATE_LIMIT}: per key, counted in PostgreSQL, so it holds across replicas. */
class DashboardRateLimitTest {

    private static Map<String, String> env(TestServer primary, String limit) {
        Map<String, String> env = new HashMap<>();
        env.put("BUS_DATABASE_URL", TestServer.postgresUrl(primary.database()));
        env.put("BUS_AUTH_HS256_SECRET", TestServer.SECRET);
        env.put("BUS_RATE_LIMIT", limit);
        return env;
    }

    @Test
    void a_burst_over_the_limit_on_two_replicas_gets_429s_and_other_keys_are_not_affected() throws Exception {
        try (TestServer a = TestServer.start(Map.of("BUS_RATE_LIMIT", "10/hour"))) {
            try (TestServer b = TestServer.start(env(a, "10/hour"), null)) {
                UUID account = UUID.randomUUID();
                String key = create(a, account, "{\"name\":\"busy\"}").path("key").asText();
                String quiet = create(a, account, "{\"name\":\"quiet\"}").path("key").asText();

                List<Future<TestServer.Response>> burst = new ArrayList<>();
                try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                    for (int i = 0; i < 30; i++) {
                        TestServer s = i % 2 == 0 ? a : b;
                        String path = i % 3 == 0 ? USAGE : SUBSCRIPTION;
                        burst.add(pool.submit(() -> dashboard(s, path, key)));
                    }
                }
                int ok = 0;
                int limited = 0;
                for (Future<TestServer.Response> f : burst) {
                    TestServer.Response r = f.get();
                    if (r.status() == 200) {
                        ok++;
                    } else {
                        String message = r.assertError(429, "buzz_error");
                        assertTrue(message.startsWith("rate limit reached: at most 10 requests per hour per key"), message);
                        long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
                        assertTrue(retry >= 1 && retry <= 3600, "Retry-After " + retry);
                        limited++;
                    }
                }
                // 10 per window; a burst that happens to cross the hour may see two windows
                assertTrue(ok >= 10 && ok <= 20, "admitted " + ok + " of 30 across both replicas");
                assertEquals(30, ok + limited);
                dashboard(a, SUBSCRIPTION, key).assertError(429, "buzz_error");
                dashboard(b, USAGE, key).assertError(429, "buzz_error");
                assertEquals(200, dashboard(b, SUBSCRIPTION, quiet).status(), "the limit is per key");
                assertEquals(200, dashboard(a, USAGE, quiet).status());
            }
        }
    }

    @Test
    void normal_traffic_under_the_default_limit_is_never_refused() {
        try (TestServer s = TestServer.start()) {
            UUID account = UUID.randomUUID();
            String key = create(s, account, "{\"name\":\"poller\"}").path("key").asText();
            for (int i = 0; i < 100; i++) {
                TestServer.Response r = dashboard(s, i % 2 == 0 ? SUBSCRIPTION : USAGE, key);
                assertEquals(200, r.status(), "request " + i + ": " + r.body());
            }
        }
    }

    @Test
    void with_the_limit_off_nothing_is_refused() {
        try (TestServer s = TestServer.start(Map.of("BUS_RATE_LIMIT", "off"))) {
            String key = create(s, UUID.randomUUID(), "{\"name\":\"free\"}").path("key").asText();
            for (int i = 0; i < 700; i++) {
                assertEquals(200, dashboard(s, SUBSCRIPTION, key).status());
            }
        }
    }
}

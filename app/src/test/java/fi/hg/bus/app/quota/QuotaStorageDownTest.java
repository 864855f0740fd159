package fi.hg.bus.app.quota;

import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.quota.QuotaTestServers.Api;
import fi.hg.bus.app.quota.QuotaTestServers.Response;
import fi.hg.bus.app.serve.BusServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server whose database goes away answers 503 for the entitlement check, never "allowed", and recovers. */
class QuotaStorageDownTest {

    @Test
    void while_the_database_is_unreachable_the_check_answers_storage_unavailable_and_never_allowed() throws Exception {
        DatabaseUrl db = TestDatabases.create();
        URI target = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        try (QuotaDatabaseProxy proxy = new QuotaDatabaseProxy(target.getHost(), target.getPort())) {
            DatabaseUrl viaProxy = new DatabaseUrl(db.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"),
                    db.user(), db.password());
            try (BusServer server = QuotaTestServers.start(QuotaTestServers.env(viaProxy))) {
                Api api = new Api(server);
                assertEquals(200, api.putCatalog(QuotaApiTest.CATALOG).status());
                UUID account = UUID.randomUUID();
                assertEquals(200, api.activate(account, "basic").status());
                assertTrue(api.check(account, 1).body().path("allowed").asBoolean());

                proxy.cut();

                for (Response r : List.of(api.check(account, 1), api.reserve(account, "down-1", 1, 60), api.check(account, 0))) {
                    assertEquals(503, r.status(), r.toString());
                    assertEquals("storage_unavailable", r.errorType(), r.toString());
                    assertTrue(r.errorMessage().startsWith("usage storage is unavailable: "), r.errorMessage());
                    assertFalse(r.body().path("allowed").asBoolean(), r.toString());
                    assertFalse(r.errorMessage().contains(db.jdbcUrl()), "the message names no database URL");
                }
                Response status = api.status(account);
                assertEquals(503, status.status(), status.toString());
                Response ready = api.send("GET", "/readyz", null, null);
                assertEquals(503, ready.status(), ready.toString());

                proxy.restore();

                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                Response again;
                do {
                    Thread.sleep(100);
                    again = api.check(account, 1);
                } while (again.status() != 200 && System.nanoTime() < deadline);
                assertEquals(200, again.status(), "the server recovers by itself: " + again);
                assertTrue(again.body().path("allowed").asBoolean());
                Response reserve = api.reserve(account, "down-1", 1, 60);
                assertTrue(reserve.body().path("allowed").asBoolean(), "the refused reservation was not kept: " + reserve);
            }
        } finally {
            TestDatabases.drop(db);
        }
    }
}

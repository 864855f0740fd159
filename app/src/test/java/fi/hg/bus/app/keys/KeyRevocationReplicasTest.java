package fi.hg.bus.app.keys;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.e2e.TestServer;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static fi.hg.bus.app.keys.KeysWorld.SUBSCRIPTION;
import static fi.hg.bus.app.keys.KeysWorld.USAGE;
import static fi.hg.bus.app.keys.KeysWorld.create;
import static fi.hg.bus.app.keys.KeysWorld.dashboard;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two replicas on one database: a key revoked on one stops working on both, at once. */
class KeyRevocationReplicasTest {

    @Test
    void a_revoked_key_stops_working_at_once_on_every_replica() {
        try (TestServer a = TestServer.start(); TestServer b = a.replica()) {
            KeysWorld.catalog(a);
            UUID account = UUID.randomUUID();
            KeysWorld.activate(a, account, "metered");
            for (int round = 0; round < 10; round++) {
                TestServer revoker = round % 2 == 0 ? a : b;
                TestServer other = round % 2 == 0 ? b : a;
                JsonNode key = create(other, account, "{\"name\":\"r" + round + "\"}");
                String secret = key.path("key").asText();
                String id = key.path("id").asText();
                assertEquals(200, dashboard(a, SUBSCRIPTION, secret).status());
                assertEquals(200, dashboard(b, USAGE, secret).status());
                assertEquals(true, KeysWorld.check(b, account, 1, id).json().path("allowed").asBoolean());

                assertEquals(200, KeysWorld.revoke(revoker, account, id).status());

                assertEquals("this sk- key has been revoked", dashboard(other, SUBSCRIPTION, secret).assertError(401, "buzz_error"));
                dashboard(other, USAGE, secret).assertError(401, "buzz_error");
                dashboard(revoker, USAGE, secret).assertError(401, "buzz_error");
                assertEquals("api_key_invalid", KeysWorld.check(other, account, 1, id).json().path("reason").asText());
                assertEquals("revoked", KeysWorld.list(other, account).path("keys").get(0).path("status").asText());
            }
        }
    }
}

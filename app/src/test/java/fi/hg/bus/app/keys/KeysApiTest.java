package fi.hg.bus.app.keys;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.e2e.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static fi.hg.bus.app.keys.KeysWorld.KEYS;
import static fi.hg.bus.app.keys.KeysWorld.create;
import static fi.hg.bus.app.keys.KeysWorld.list;
import static fi.hg.bus.app.keys.KeysWorld.revoke;
import static fi.hg.bus.app.keys.KeysWorld.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/keys} over HTTP against a real server on PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeysApiTest {

    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start();
        KeysWorld.catalog(server);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void a_key_is_answered_once_with_its_secret_and_listed_without_it() {
        UUID account = UUID.randomUUID();
        JsonNode created = create(server, account, """
                {"name":"ci","quota_limit":1000000,"expires_at":"2099-01-01T00:00:00Z"}""");

        String secret = created.path("key").asText();
        assertTrue(secret.matches("sk-[A-Za-z0-9]{48}"), secret);
        assertEquals("ci", created.path("name").asText());
        assertEquals(secret.substring(0, 11), created.path("prefix").asText());
        assertEquals("active", created.path("status").asText());
        assertFalse(created.path("unlimited").asBoolean());
        assertEquals(1000000, created.path("quota_limit").asLong());
        assertEquals(0, created.path("used").asLong());
        assertEquals(1000000, created.path("remaining").asLong());
        assertEquals("bus_llm_tokens", created.path("meter_event_name").asText());
        assertEquals("2099-01-01T00:00:00Z", created.path("expires_at").asText());
        assertFalse(created.has("revoked_at"));

        TestServer.Response listed = server.get(KEYS, user(server, account, "keys:read"));
        assertEquals(200, listed.status());
        assertFalse(listed.body().contains(secret.substring(11)), "the list never holds the secret");
        JsonNode keys = listed.json().path("keys");
        assertEquals(1, keys.size());
        JsonNode first = keys.get(0);
        assertFalse(first.has("key"));
        for (String field : List.of("id", "name", "prefix", "status", "unlimited", "quota_limit", "used", "remaining",
                "meter_event_name", "expires_at", "created_at")) {
            assertEquals(created.path(field), first.path(field), field);
        }
        assertFalse(listed.json().path("has_more").asBoolean());
    }

    @Test
    void only_a_hash_of_the_secret_is_stored() throws Exception {
        UUID account = UUID.randomUUID();
        String secret = create(server, account, "{\"name\":\"stored\"}").path("key").asText();
        String tail = secret.substring(3 + 12);
        try (var c = fi.hg.bus.adapters.persistence.testing.TestDatabases.connect(server.database());
             var s = c.createStatement();
             var rs = s.executeQuery("select lookup, encode(secret_hash, 'hex'), name, prefix from api_keys where account_id = '"
                     + account + "'")) {
            assertTrue(rs.next());
            assertEquals(secret.substring(3, 15), rs.getString(1));
            String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(secret.substring(3).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            assertEquals(expected, rs.getString(2));
            for (int i = 1; i <= 4; i++) {
                assertFalse(rs.getString(i).contains(tail), "column " + i + " holds no more than the lookup");
            }
        }
    }

    @Test
    void a_key_without_a_limit_is_unlimited_and_the_list_is_newest_first() {
        UUID account = UUID.randomUUID();
        JsonNode a = create(server, account, "{\"name\":\"a\"}");
        JsonNode b = create(server, account, "{\"name\":\"b\",\"unlimited\":true}");
        assertTrue(a.path("unlimited").asBoolean());
        assertFalse(a.has("quota_limit"));
        assertFalse(a.has("remaining"));
        assertFalse(a.has("expires_at"));
        JsonNode keys = list(server, account).path("keys");
        assertEquals(List.of("b", "a"), List.of(keys.get(0).path("name").asText(), keys.get(1).path("name").asText()));
        assertEquals(0, list(server, UUID.randomUUID()).path("keys").size(), "another account sees none of them");
        assertTrue(b.path("unlimited").asBoolean());
    }

    @Test
    void revoking_is_for_the_owner_only_and_repeating_it_changes_nothing() {
        UUID owner = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String id = create(server, owner, "{\"name\":\"x\"}").path("id").asText();

        revoke(server, other, id).assertError(404, "not_found");
        assertEquals("active", list(server, owner).path("keys").get(0).path("status").asText());

        TestServer.Response first = revoke(server, owner, id);
        assertEquals(200, first.status(), first.body());
        assertEquals("revoked", first.json().path("status").asText());
        String revokedAt = first.json().path("revoked_at").asText();
        assertTrue(Instant.parse(revokedAt).isBefore(Instant.now().plusSeconds(1)));
        TestServer.Response again = revoke(server, owner, id);
        assertEquals(200, again.status());
        assertEquals(revokedAt, again.json().path("revoked_at").asText());
        assertEquals("revoked", list(server, owner).path("keys").get(0).path("status").asText());

        revoke(server, owner, UUID.randomUUID().toString()).assertError(404, "not_found");
        revoke(server, owner, "not-a-uuid").assertError(400, "bad_request");
        revoke(server, owner, "1%27%20or%201=1").assertError(400, "bad_request");
    }

    @Test
    void usage_naming_a_key_counts_against_it_and_a_check_naming_it_is_refused_when_spent() {
        UUID account = UUID.randomUUID();
        KeysWorld.activate(server, account, "metered");
        String id = create(server, account, "{\"name\":\"small\",\"quota_limit\":1000}").path("id").asText();

        KeysWorld.use(server, account, id, 600);
        KeysWorld.use(server, account, null, 5000);
        JsonNode key = list(server, account).path("keys").get(0);
        assertEquals(600, key.path("used").asLong());
        assertEquals(400, key.path("remaining").asLong());

        JsonNode allowed = KeysWorld.check(server, account, 400, id).json();
        assertTrue(allowed.path("allowed").asBoolean(), allowed.toString());
        JsonNode refused = KeysWorld.check(server, account, 401, id).json();
        assertEquals("api_key_quota_exceeded", refused.path("reason").asText(), refused.toString());
        assertFalse(refused.path("allowed").asBoolean());
        assertEquals(id, refused.path("api_key_id").asText());
        assertEquals("total", refused.path("usage").path("window").asText());
        assertEquals(400, refused.path("usage").path("remaining").asLong());

        KeysWorld.use(server, account, id, 400);
        assertEquals("exhausted", list(server, account).path("keys").get(0).path("status").asText());
        assertEquals("api_key_quota_exceeded", KeysWorld.check(server, account, 0, id).json().path("reason").asText());

        assertEquals(200, revoke(server, account, id).status());
        assertEquals("api_key_invalid", KeysWorld.check(server, account, 0, id).json().path("reason").asText());
        assertEquals("api_key_invalid", KeysWorld.check(server, account, 0, UUID.randomUUID().toString()).json().path("reason").asText());
        server.post("/api/internal/billing/entitlement-check", KeysWorld.operator(server), """
                {"account_id":"%s","scope":"llm:proxy","api_key_id":"sk-not-an-id"}""".formatted(account))
                .assertError(400, "bad_request");
    }

    @Test
    void a_key_is_made_only_with_the_right_token() {
        UUID account = UUID.randomUUID();
        String body = "{\"name\":\"k\"}";
        server.post(KEYS, null, body).assertError(401, "invalid_auth");
        server.post(KEYS, "garbage", body).assertError(401, "invalid_auth");
        server.post(KEYS, user(server, account, "keys:read"), body).assertError(403, "forbidden");
        server.get(KEYS, user(server, account, "keys:write")).assertError(403, "forbidden");
        server.post(KEYS, server.token(TestServer.INTERNAL, "keys:write"), body).assertError(403, "forbidden");
        server.post(KEYS, server.token(TestServer.END_USER, "keys:write"), body).assertError(403, "forbidden");
        server.delete(KEYS + "/" + UUID.randomUUID(), user(server, account, "keys:read")).assertError(403, "forbidden");
        server.send(server.request(KEYS).header("Authorization", "Bearer " + user(server, account, "keys:write"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build()).assertError(405, "method_not_allowed");
        assertEquals(0, list(server, account).path("keys").size());
    }

    @Test
    void bad_bodies_are_refused_naming_the_field_and_store_nothing() {
        UUID account = UUID.randomUUID();
        String token = user(server, account, "keys:write");
        List<String[]> cases = List.of(
                new String[]{"", "request body is empty"},
                new String[]{"{", "not valid JSON"},
                new String[]{"[]", "must be a JSON object"},
                new String[]{"{\"name\":\"a\"} {}", "not valid JSON"},
                new String[]{"{}", "name: is required"},
                new String[]{"{\"name\":null}", "name: is required"},
                new String[]{"{\"name\":7}", "name: must be a string"},
                new String[]{"{\"name\":\"  \"}", "name: must not be empty"},
                new String[]{"{\"name\":\"" + "x".repeat(101) + "\"}", "name: must be at most 100 characters"},
                new String[]{"{\"name\":\"a\\u001b[2Jb\"}", "name: must be printable text"},
                new String[]{"{\"name\":\"a\\nb\"}", "name: must be printable text"},
                new String[]{"{\"name\":\"a\\ud800\"}", "name: must be printable text"},
                new String[]{"{\"name\":\"a\",\"name\":\"b\"}", "not valid JSON"},
                new String[]{"{\"name\":\"a\",\"owner\":\"" + UUID.randomUUID() + "\"}", "owner: unknown field"},
                new String[]{"{\"name\":\"a\",\"quota_limit\":\"100\"}", "quota_limit: must be an integer"},
                new String[]{"{\"name\":\"a\",\"quota_limit\":1.5}", "quota_limit: must be an integer"},
                new String[]{"{\"name\":\"a\",\"quota_limit\":0}", "quota_limit: must be from 1 to"},
                new String[]{"{\"name\":\"a\",\"quota_limit\":-5}", "quota_limit: must be from 1 to"},
                new String[]{"{\"name\":\"a\",\"quota_limit\":99999999999999999999999}", "quota_limit: must be an integer"},
                new String[]{"{\"name\":\"a\",\"quota_limit\":9007199254740992}", "quota_limit: must be from 1 to"},
                new String[]{"{\"name\":\"a\",\"unlimited\":\"yes\"}", "unlimited: must be true or false"},
                new String[]{"{\"name\":\"a\",\"unlimited\":true,\"quota_limit\":5}", "unlimited: a key with a quota_limit"},
                new String[]{"{\"name\":\"a\",\"unlimited\":false}", "quota_limit: is required when unlimited is false"},
                new String[]{"{\"name\":\"a\",\"expires_at\":\"tomorrow\"}", "expires_at: is not an RFC 3339 timestamp"},
                new String[]{"{\"name\":\"a\",\"expires_at\":1767225600}", "expires_at: must be a string"},
                new String[]{"{\"name\":\"a\",\"expires_at\":\"2020-01-01T00:00:00Z\"}", "expires_at: must be in the future"});
        for (String[] c : cases) {
            String message = server.post(KEYS, token, c[0]).assertError(400, "bad_request");
            assertTrue(message.contains(c[1]), c[0] + " → " + message);
        }
        server.send(server.request(KEYS).header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a\"}")).build()).assertError(415, "unsupported_media_type");
        String huge = "{\"name\":\"a\",\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        server.post(KEYS, token, huge).assertError(413, "request_body_too_large");
        assertEquals(0, list(server, account).path("keys").size(), "nothing was stored");
    }

    @Test
    void hostile_names_are_kept_as_plain_text() {
        UUID account = UUID.randomUUID();
        for (String name : List.of("'; drop table api_keys; --", "<script>alert(1)</script>", "${jndi:ldap://x}", "😀 ключ")) {
            JsonNode created = create(server, account, TestServer.json(java.util.Map.of("name", name)));
            assertEquals(name, created.path("name").asText());
        }
        assertEquals(4, list(server, account).path("keys").size());
    }
}

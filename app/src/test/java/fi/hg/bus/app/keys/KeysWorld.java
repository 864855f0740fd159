package fi.hg.bus.app.keys;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.e2e.TestServer;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Shared steps of the API key and dashboard tests, against a {@link TestServer}. */
final class KeysWorld {

    static final String KEYS = "/api/v1/keys";
    static final String SUBSCRIPTION = "/v1/dashboard/billing/subscription";
    static final String USAGE = "/v1/dashboard/billing/usage";
    static final String OPERATOR_SCOPES = "billing:catalog:write billing:subscriptions:write billing:entitlement:check usage:write";

    /** Two plans on bus_llm_tokens: {@code metered} with a month and a total window, {@code open} with no quota. */
    static final String CATALOG = """
            {"products":[{"id":"llm","name":"LLM access"}],
             "meters":[{"name":"bus_llm_tokens","unit":"tokens"}],
             "plans":[
              {"id":"metered","name":"Metered","product_id":"llm","features":["llm:proxy"],
               "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"month","limit":2000000},
                         {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"total","limit":10000000}]},
              {"id":"open","name":"Open","product_id":"llm","features":["llm:proxy"]}]}""";

    private KeysWorld() {
    }

    /** An end-user token of {@code account} with {@code scope}, valid for five minutes. */
    static String user(TestServer s, UUID account, String scope) {
        Instant now = Instant.now();
        return s.jwt().sign(account.toString(), TestServer.END_USER, scope, now, now.plus(Duration.ofMinutes(5)));
    }

    static String operator(TestServer s) {
        return s.token(TestServer.INTERNAL, OPERATOR_SCOPES);
    }

    static void catalog(TestServer s) {
        var r = s.send(s.request("/api/internal/billing/catalog").header("Authorization", "Bearer " + operator(s))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(CATALOG)).build());
        ok(r);
    }

    static void activate(TestServer s, UUID account, String plan) {
        ok(s.post("/api/internal/billing/subscription-updates", operator(s), """
                {"event_id":"activate-%s","account_id":"%s","provider":"local","status":"active","plan_id":"%s"}"""
                .formatted(account, account, plan)));
    }

    /** Makes a key and answers the created key (with its secret in {@code key}). */
    static JsonNode create(TestServer s, UUID account, String body) {
        TestServer.Response r = s.post(KEYS, user(s, account, "keys:write"), body);
        ok(r);
        return r.json();
    }

    static JsonNode list(TestServer s, UUID account) {
        TestServer.Response r = s.get(KEYS, user(s, account, "keys:read"));
        ok(r);
        return r.json();
    }

    static TestServer.Response revoke(TestServer s, UUID account, String keyId) {
        return s.delete(KEYS + "/" + keyId, user(s, account, "keys:write"));
    }

    /** Records usage_recorded of {@code tokens} for {@code account} done with {@code keyId} (null: none). */
    static void use(TestServer s, UUID account, String keyId, long tokens) {
        String key = keyId == null ? "" : ",\"api_key_id\":\"" + keyId + "\"";
        ok(s.post("/api/internal/usage-events", operator(s), """
                {"event_type":"usage_recorded","event_id":"%s","account_id":"%s","data":{"total_tokens":%d%s}}"""
                .formatted(UUID.randomUUID(), account, tokens, key)));
    }

    /** A GET with the Authorization header exactly as given (none when null). */
    static TestServer.Response get(TestServer s, String path, String authorization) {
        HttpRequest.Builder b = s.request(path).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return s.send(b.build());
    }

    static TestServer.Response dashboard(TestServer s, String path, String secret) {
        return get(s, path, "Bearer " + secret);
    }

    static TestServer.Response check(TestServer s, UUID account, long quantity, String keyId) {
        return s.post("/api/internal/billing/entitlement-check", operator(s), """
                {"account_id":"%s","scope":"llm:proxy","usage":{"meter_event_name":"bus_llm_tokens","quantity":%d},"api_key_id":"%s"}"""
                .formatted(account, quantity, keyId));
    }

    static void ok(TestServer.Response r) {
        if (r.status() != 200) {
            throw new AssertionError("expected 200 but got " + r.status() + " " + r.body());
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

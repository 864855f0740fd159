package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.e2e.OpenApi.Operation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fuzzer over every route of {@code GET /openapi.yaml}, against a real server on a real
 * database: the documented examples, mutated (types swapped, huge numbers, deep nesting, NUL and
 * lone surrogates, duplicate, missing and extra keys), raw bodies (truncated, trailing content,
 * not UTF-8, larger than the limit), query strings and path parameters, headers (Content-Type,
 * a Content-Length that lies, hostile Authorization), with valid credentials mixed in so that
 * requests get past authentication. Every answer must be below 500 and every error the JSON
 * envelope (the local provider's pages answer HTML); a rejected request must leave every table as
 * it was. Then the same against a server whose database cannot be reached: 503 (and the
 * dashboard's own 500) are the only 5xx allowed there.
 *
 * <p>Size: {@code -Dbus.reliability.scale=N} ({@value #REQUESTS_PER_SCALE} requests per step). The
 * seed is printed with every failure; {@code -Dbus.reliability.seed=S} replays it.
 */
@Tag("reliability")
class RouteFuzzTest {

    static final int REQUESTS_PER_SCALE = 2000;
    static final String ACCOUNT = "3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b";
    static final String INTERNAL_KEY = "route-fuzz-internal-shared-key-0123456789";
    static final String AUTH = "ai.hg.fi/auth";
    static final int MIB = 1024 * 1024;

    /** Tables whose rows the background workers change by themselves: only these columns are compared. */
    private static final Map<String, String> WORKER_TABLES = Map.of(
            "usage_exports", "select id, idempotency_key, account_id, feature, meter, quantity, occurred_at from usage_exports",
            "reservations", "select id, account_id, feature, meter, quantity from reservations",
            "quota_counters", "select account_id, feature, meter, window_name, window_start, used from quota_counters");
    /** Request accounting, not data: the dashboard's per-key rate windows. */
    private static final List<String> NOT_DATA = List.of("flyway_schema_history", "api_key_rate_windows");

    private final long seed = Long.getLong("bus.reliability.seed", new Random().nextLong());
    private final Random random = new Random(seed);
    private final List<String> failures = new ArrayList<>();
    private String skKey;
    private String identityId;
    private int requests;
    private int rejected;
    private int accepted;

    @Test
    void everyRouteSurvivesHostileInputAndARejectedRequestStoresNothing() throws Exception {
        int scale = Integer.getInteger("bus.reliability.scale", 1);
        OpenApi api = OpenApi.fromJar();
        List<Operation> operations = api.operations();
        long started = System.nanoTime();
        DatabaseUrl database = TestDatabases.create();
        try (TestServer server = TestServer.start(Map.of(
                "BUS_DATABASE_URL", TestServer.postgresUrl(database),
                "BUS_AUTH_HS256_SECRET", TestServer.SECRET,
                "BUS_AUTH_INTERNAL_SHARED_KEY", INTERNAL_KEY,
                "BUS_DATABASE_POOL_SIZE", "4"), database);
             Connection db = TestDatabases.connect(database)) {
            seed(server, api);
            String before = snapshot(db);
            int n = Integer.getInteger("bus.fuzz.requests", REQUESTS_PER_SCALE * scale);
            for (int i = 0; i < n && failures.size() < 20; i++) {
                Operation op = operations.get(random.nextInt(operations.size()));
                RawHttp.Request request = request(api, op, server);
                RawHttp.Response response = exchange(server.port(), request, i);
                if (response == null) {
                    before = snapshot(db);
                    continue;
                }
                check(op, request, response, i, false);
                String after = snapshot(db);
                if (response.status() >= 400 || response.status() == 0) {
                    rejected++;
                    if (!after.equals(before) && !mayChangeWhenRefused(op, response)) {
                        fail(i, request, response, "a rejected request changed stored data:\n" + diff(before, after));
                    }
                } else {
                    accepted++;
                }
                before = after;
            }
        }
        long live = System.nanoTime() - started;
        int liveRequests = requests;
        outage(api, operations, Math.max(100, REQUESTS_PER_SCALE * scale / 10));
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.printf("route fuzz: seed %d, %d requests (%d accepted, %d rejected) in %d s with the database up, "
                        + "%d with it down; %d s in all%n", seed, liveRequests, accepted, rejected, live / 1_000_000_000L,
                requests - liveRequests, seconds);
        assertEquals(List.of(), failures, "replay with -Dbus.reliability.seed=" + seed);
        assertTrue(accepted > liveRequests / 20, "too few requests got through; the fuzzer is not testing the routes");
    }

    // ---- the world -----------------------------------------------------------------------------

    /** A catalog, an active subscription, a key and an identity, so that valid requests do real work. */
    private void seed(TestServer server, OpenApi api) {
        String internal = server.token(TestServer.INTERNAL, "billing:catalog:write billing:subscriptions:write");
        JsonNode catalog = example(api, api.operations().stream().filter(o -> o.toString().equals("PUT /api/internal/billing/catalog"))
                .findFirst().orElseThrow());
        TestServer.Response put = server.send(server.request("/api/internal/billing/catalog")
                .header("Authorization", "Bearer " + internal).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(catalog.toString())).build());
        assertEquals(200, put.status(), put.body());
        assertEquals(200, server.post("/api/internal/billing/subscription-updates", internal,
                "{\"event_id\":\"seed-1\",\"account_id\":\"" + ACCOUNT + "\",\"provider\":\"local\",\"status\":\"active\","
                        + "\"plan_id\":\"llm-basic\",\"features\":[\"llm:proxy\"]}").status());
        TestServer.Response key = server.post("/api/v1/keys", userToken(server, "keys:write"), "{\"name\":\"fuzz\",\"quota_limit\":100000000}");
        assertEquals(200, key.status(), key.body());
        skKey = key.json().get("key").asText();
        String email = "fuzz-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        assertEquals(200, server.post("/api/v1/auth/register", null, "{\"email\":\"" + email + "\"}").status());
        for (JsonNode item : server.get("/api/v1/auth/admin/waitlist", server.token(AUTH, "waitlist:read")).json().get("items")) {
            if (item.get("email").asText().equals(email)) {
                identityId = item.get("identity_id").asText();
            }
        }
        server.post("/api/v1/auth/admin/approve", server.token(AUTH, "waitlist:approve"), "{\"email\":\"" + email + "\"}");
    }

    private static String userToken(TestServer server, String scope) {
        Instant now = Instant.now();
        return server.jwt().sign(ACCOUNT, TestServer.END_USER, scope, now, now.plusSeconds(600));
    }

    /** A valid credential for the operation's first security requirement (fresh each time: a session may be signed out). */
    private List<Map.Entry<String, String>> credentials(Operation op, TestServer server) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        Map<String, List<String>> security = op.security();
        if (security.isEmpty()) {
            return h;
        }
        Map.Entry<String, List<String>> requirement = security.entrySet().iterator().next();
        String scopes = String.join(" ", requirement.getValue());
        Instant now = Instant.now();
        switch (requirement.getKey()) {
            case "apiToken" -> h.add(header("Authorization", "Bearer " + server.jwt().sign(ACCOUNT, TestServer.END_USER,
                    scopes + " billing:read keys:read", now, now.plusSeconds(600))));
            case "internalToken" -> h.add(header("Authorization", "Bearer " + server.token(TestServer.INTERNAL, scopes)));
            case "operatorToken" -> h.add(header("Authorization", "Bearer " + server.token(AUTH, scopes)));
            case "sessionToken" -> {
                ObjectNode claims = JsonNodeFactory.instance.objectNode();
                claims.put("sub", identityId).put("aud", AUTH).put("scope", "session").put("iat", now.getEpochSecond())
                        .put("exp", now.getEpochSecond() + 600).put("jti", UUID.randomUUID().toString());
                h.add(header("Authorization", "Bearer " + server.jwt().signClaims(claims)));
            }
            case "skKey" -> h.add(header("Authorization", "Bearer " + skKey));
            case "internalKey" -> h.add(header("X-Bus-Internal-Key", INTERNAL_KEY));
            case "stripeSignature" -> h.add(header("Stripe-Signature", "t=" + now.getEpochSecond() + ",v1=" + "0".repeat(64)));
            default -> throw new IllegalStateException("unknown security scheme " + requirement.getKey());
        }
        return h;
    }

    private static Map.Entry<String, String> header(String name, String value) {
        return new AbstractMap.SimpleEntry<>(name, value);
    }

    // ---- requests ------------------------------------------------------------------------------

    private static JsonNode example(OpenApi api, Operation op) {
        JsonNode media = op.node().path("requestBody").path("content").path("application/json");
        if (media.has("example")) {
            return media.get("example").deepCopy();
        }
        Iterator<JsonNode> examples = media.path("examples").elements();
        return examples.hasNext() ? api.resolve(examples.next()).path("value").deepCopy() : null;
    }

    private RawHttp.Request request(OpenApi api, Operation op, TestServer server) {
        boolean validAuth = random.nextInt(10) < 8;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(header("Host", "127.0.0.1:" + server.port()));
        headers.add(header("Connection", "close"));
        headers.addAll(validAuth ? credentials(op, server) : hostileAuth(op, server));
        String path = random.nextInt(8) == 0 ? hostilePath(api, op) : api.examplePath(op);
        String query = query(api, op);
        JsonNode media = op.node().path("requestBody").path("content");
        byte[] body = new byte[0];
        String contentType = null;
        if (media.has("application/json")) {
            contentType = "application/json";
            JsonNode example = example(api, op);
            body = body(api, op, example);
        } else if (media.has("application/x-www-form-urlencoded")) {
            contentType = "application/x-www-form-urlencoded";
            body = ("csrf=" + randomText(40) + "&action=" + pick("subscribe", "change", "cancel", "x") + "&plan_id=llm-pro")
                    .getBytes(StandardCharsets.UTF_8);
        } else if (random.nextInt(4) == 0) {
            body = randomJson(3).toString().getBytes(StandardCharsets.UTF_8);
            contentType = "application/json";
        }
        boolean closeOutput = false;
        int headerMode = random.nextInt(12);
        if (headerMode == 0) {
            contentType = pick("text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json; charset=latin1",
                    "application/vnd.api+json", "", "application/json, text/plain", "*/*", "APPLICATION/JSON", "application/jsonx");
        } else if (headerMode == 1) {
            contentType = null;
        }
        if (contentType != null) {
            headers.add(header("Content-Type", contentType));
        }
        if (headerMode == 2 && body.length > 2) {
            // declares more than is sent, then stops sending
            headers.add(header("Content-Length", String.valueOf(body.length + 1 + random.nextInt(1000))));
            closeOutput = true;
        } else if (headerMode == 3 && body.length > 2) {
            // declares less than is sent: the rest is a second, garbled request
            headers.add(header("Content-Length", String.valueOf(random.nextInt(body.length))));
        } else if (headerMode == 4) {
            headers.add(header("Content-Length", pick("-1", "abc", "99999999999999999999", "1, 2", " ")));
            closeOutput = true;
        } else if (headerMode == 5) {
            headers.add(header("Content-Length", String.valueOf(body.length)));
            headers.add(header("Content-Length", String.valueOf(body.length + 5)));
            closeOutput = true;
        } else if (body.length > 0 || !op.method().equals("GET")) {
            headers.add(header("Content-Length", String.valueOf(body.length)));
        }
        if (headerMode == 6) {
            headers.add(header(pick("X-Forwarded-For", "Origin", "Accept", "Cookie", "X-Bus-Internal-Key", "Stripe-Signature"),
                    randomText(random.nextInt(3) == 0 ? 4000 : 30)));
        }
        return new RawHttp.Request(op.method(), path + query, headers, body, closeOutput);
    }

    private byte[] body(OpenApi api, Operation op, JsonNode example) {
        int mode = random.nextInt(20);
        JsonNode node = example == null ? JsonNodeFactory.instance.objectNode() : example;
        if (mode < 5) {
            return uniquify(node).toString().getBytes(StandardCharsets.UTF_8);
        }
        if (mode < 13) {
            JsonNode mutated = uniquify(node);
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                mutated = mutate(mutated, 0);
            }
            return mutated.toString().getBytes(StandardCharsets.UTF_8);
        }
        String text = uniquify(node).toString();
        return switch (mode) {
            case 13 -> text.substring(0, random.nextInt(Math.max(1, text.length()))).getBytes(StandardCharsets.UTF_8);
            case 14 -> (text + pick("}", " x", "{}", "\u0000", "[1]", "\n{\"a\":1}", "//")).getBytes(StandardCharsets.UTF_8);
            case 15 -> duplicateKey(text).getBytes(StandardCharsets.UTF_8);
            case 16 -> notUtf8(text);
            case 17 -> pick("[]", "\"text\"", "42", "null", "true", "", " ", "{", "{\"a\":}", "\uFEFF" + text)
                    .getBytes(StandardCharsets.UTF_8);
            case 18 -> nested(random.nextInt(4) == 0 ? 5000 : 70 + random.nextInt(100)).getBytes(StandardCharsets.UTF_8);
            default -> oversized(op, text);
        };
    }

    /** Ids and emails made unique now and then, so that valid requests store new rows rather than repeat. */
    private JsonNode uniquify(JsonNode node) {
        JsonNode copy = node.deepCopy();
        if (copy instanceof ObjectNode o && random.nextBoolean()) {
            String suffix = Long.toHexString(random.nextLong());
            for (String key : List.of("event_id", "name")) {
                if (o.has(key) && o.get(key).isTextual()) {
                    o.put(key, o.get(key).asText() + "-" + suffix);
                }
            }
            if (o.has("email")) {
                o.put("email", "fuzz-" + suffix + "@example.com");
            }
            if (o.path("reservation").has("id")) {
                ((ObjectNode) o.get("reservation")).put("id", "res-" + suffix);
            }
        }
        return copy;
    }

    private JsonNode mutate(JsonNode node, int depth) {
        if (node instanceof ObjectNode o && o.size() > 0 && random.nextInt(3) > 0 && depth < 6) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            String key = keys.get(random.nextInt(keys.size()));
            switch (random.nextInt(5)) {
                case 0 -> o.remove(key);
                case 1 -> o.set(randomText(1 + random.nextInt(12)), randomJson(2));
                default -> o.set(key, mutate(o.get(key), depth + 1));
            }
            return o;
        }
        if (node instanceof ArrayNode a && a.size() > 0 && random.nextBoolean() && depth < 6) {
            int at = random.nextInt(a.size());
            a.set(at, mutate(a.get(at), depth + 1));
            return a;
        }
        return hostileValue(node);
    }

    private JsonNode hostileValue(JsonNode original) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(16)) {
            case 0 -> f.nullNode();
            case 1 -> f.numberNode(new BigInteger("9".repeat(1 + random.nextInt(120))));
            case 2 -> f.numberNode(new java.math.BigDecimal(pick("-1", "0", "1.5", "1e400", "-9223372036854775809", "9223372036854775807",
                    "1125899906842625", "9007199254740993", "4.9e-324", "-0")));
            case 3 -> f.textNode(pick("\u0000", "a\u0000b", "\ud800", "\udfff x", "\u202e\u0645", "🚀", "\u200b", "é", "ｌｌｍ：ｐｒｏｘｙ",
                    "'; drop table usage_events; --", "../../etc/passwd", "${jndi:ldap://x}", "<script>", "%00", "\r\n\r\nX: y"));
            case 4 -> f.textNode("x".repeat(random.nextInt(4) == 0 ? 300_000 : 201 + random.nextInt(5000)));
            case 5 -> f.booleanNode(random.nextBoolean());
            case 6 -> f.arrayNode().add(original == null ? f.nullNode() : original);
            case 7 -> f.objectNode().set("value", original == null ? f.nullNode() : original);
            case 8 -> f.textNode(original == null ? "" : original.toString());
            case 9 -> f.textNode("");
            case 10 -> f.textNode(UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT) + pick("", " ", "0"));
            case 11 -> f.textNode(pick("2026-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:60Z", "2026-05-03",
                    "2026-05-03T12:00:00+25:00", "1e10", "now"));
            case 12 -> original != null && original.isNumber() ? f.textNode(original.asText()) : f.numberNode(random.nextInt());
            default -> randomJson(3);
        };
    }

    private JsonNode randomJson(int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = random.nextInt(depth <= 0 ? 4 : 6);
        return switch (kind) {
            case 0 -> f.numberNode(random.nextLong());
            case 1 -> f.textNode(randomText(random.nextInt(20)));
            case 2 -> f.booleanNode(random.nextBoolean());
            case 3 -> f.nullNode();
            case 4 -> {
                ArrayNode a = f.arrayNode();
                for (int i = 0, n = random.nextInt(4); i < n; i++) {
                    a.add(randomJson(depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = f.objectNode();
                for (int i = 0, n = random.nextInt(4); i < n; i++) {
                    o.set(randomText(1 + random.nextInt(8)), randomJson(depth - 1));
                }
                yield o;
            }
        };
    }

    private String randomText(int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int r = random.nextInt(10);
            s.appendCodePoint(r < 6 ? 'a' + random.nextInt(26) : r < 8 ? 0x20 + random.nextInt(0x5f)
                    : r < 9 ? 0xa0 + random.nextInt(0x2000) : random.nextInt(0x20));
        }
        return s.toString();
    }

    private String duplicateKey(String text) {
        if (!text.startsWith("{\"")) {
            return "{\"a\":1,\"a\":2}";
        }
        int colon = text.indexOf("\":");
        String key = text.substring(1, colon + 1);
        return "{" + key + ":" + randomJson(1) + "," + text.substring(1);
    }

    private byte[] notUtf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 2) {
            bytes[1 + random.nextInt(bytes.length - 2)] = (byte) (int) pick(0xff, 0xc0, 0x80, 0xed);
        }
        return bytes;
    }

    private static String nested(int depth) {
        return "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    private byte[] oversized(Operation op, String text) {
        int limit = op.path().endsWith("/usage-events") ? 10 * MIB : MIB;
        if (random.nextInt(3) > 0 && op.path().endsWith("/usage-events")) {
            limit = MIB; // a large usage batch below its limit is fine too; a 10 MiB one is costly, so seldom
        }
        int size = limit + 1 + random.nextInt(100);
        StringBuilder s = new StringBuilder(size + 20);
        s.append("{\"pad\":\"");
        while (s.length() < size) {
            s.append("xxxxxxxxxxxxxxxx");
        }
        s.append("\"}");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String query(OpenApi api, Operation op) {
        List<String> parts = new ArrayList<>();
        for (JsonNode p : api.parameters(op)) {
            if (!p.path("in").asText().equals("query") || random.nextInt(3) == 0) {
                continue;
            }
            String name = p.path("name").asText();
            String value = random.nextInt(3) == 0 ? p.path("example").asText() : pick("", "-1", "0", "1.0", "1e3", "99999999999999999999",
                    "%00", "%zz", "%C0%AF", "%E4", "ä", "a%20b", "x".repeat(5000), "2026-13-45T00:00:00Z", "+1", "0x10", "1,2",
                    "pending,,failed", "NaN", "9999-12-31T23:59:59-01:00");
            parts.add(name + "=" + value);
            if (random.nextInt(6) == 0) {
                parts.add(name + "=" + p.path("example").asText());
            }
        }
        if (random.nextInt(6) == 0) {
            parts.add(pick("x", "page[0]", "%00", "a b", "before", "limit") + "=" + pick("1", "", "%", "&&", "=="));
        }
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    private String hostilePath(OpenApi api, Operation op) {
        String path = api.examplePath(op);
        List<JsonNode> pathParams = api.parameters(op).stream().filter(p -> p.path("in").asText().equals("path")).toList();
        String value = pick("", "%2F", "..", "%2e%2e", "%00", "x".repeat(3000), "%E2%80%AE", "%F0%9F%9A%80", UUID.randomUUID().toString(),
                "a%20b", "%ZZ", ";x=1", URLEncoder.encode("\u0000\ud7ff", StandardCharsets.UTF_8));
        if (pathParams.isEmpty()) {
            return path + pick("/", "/x", "%20", "//", "/..", ";", "%2F");
        }
        String template = op.path();
        for (JsonNode p : pathParams) {
            template = template.replace("{" + p.path("name").asText() + "}", value);
        }
        return template;
    }

    private List<Map.Entry<String, String>> hostileAuth(Operation op, TestServer server) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        List<JwtAttacks.Attack> corpus = JwtAttacks.corpus();
        JwtAttacks.Attack attack = corpus.get(random.nextInt(corpus.size()));
        String scopes = op.security().values().stream().findFirst().map(l -> String.join(" ", l)).orElse("usage:read");
        JwtAttacks.Fitting fitting = new JwtAttacks.Fitting(TestServer.INTERNAL, scopes.isEmpty() ? "session" : scopes,
                ACCOUNT, TestServer.SECRET);
        switch (random.nextInt(9)) {
            case 0 -> h.add(header("Authorization", "Bearer " + attack.token().apply(fitting)));
            case 1 -> h.add(header("Authorization", "Bearer " + "A".repeat(random.nextBoolean() ? 9000 : 60_000)));
            case 2 -> {
                h.add(header("Authorization", "Bearer " + server.collector()));
                h.add(header("Authorization", "Bearer " + server.collector()));
            }
            case 3 -> h.add(header("Authorization", "Bearer " + skKey + pick("", "x", "-", "-extra-segment")));
            case 4 -> h.add(header("Authorization", pick("Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "bearer\t" + server.collector(),
                    "Digest x", "Bearer " + server.collector() + " trailing", "Bearer ä", "Bearer \u0001")));
            case 5 -> h.add(header("X-Bus-Internal-Key", pick("", INTERNAL_KEY + " ", INTERNAL_KEY.toUpperCase(java.util.Locale.ROOT),
                    INTERNAL_KEY.substring(1))));
            case 6 -> h.add(header("Authorization", "Bearer " + server.token(pick(TestServer.END_USER, AUTH, TestServer.INTERNAL), "nothing:here")));
            case 7 -> h.add(header("Stripe-Signature", pick("t=1,v1=00", "", "v1=", "t=" + Long.MAX_VALUE + ",v1=" + "f".repeat(64))));
            default -> {
                // no credentials at all
            }
        }
        return h;
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    // ---- answers -------------------------------------------------------------------------------

    private RawHttp.Response exchange(int port, RawHttp.Request request, int i) {
        requests++;
        try {
            return RawHttp.send(port, request);
        } catch (IOException e) {
            fail(i, request, null, "the exchange failed: " + e.getMessage());
            return null;
        }
    }

    private void check(Operation op, RawHttp.Request request, RawHttp.Response r, int i, boolean databaseDown) {
        if (r.status() == 0) {
            // the server closed the connection without an answer: only for a body it was promised and never got
            if (!request.closeOutputAfterBody()) {
                fail(i, request, r, "no answer");
            }
            return;
        }
        if (r.status() >= 500) {
            boolean outage = databaseDown && (r.status() == 503
                    || (r.status() == 500 && op.path().contains("dashboard/billing/")));
            if (!outage) {
                fail(i, request, r, "a server error");
                return;
            }
        }
        String body = r.text();
        if (body.contains(INTERNAL_KEY) || (skKey != null && body.contains(skKey)) || body.contains(TestServer.SECRET)) {
            fail(i, request, r, "the answer quotes a secret");
        }
        if (r.status() < 400) {
            return;
        }
        String type = r.header("content-type");
        if (op.path().startsWith("/billing/local/") && type.startsWith("text/html")) {
            return;
        }
        if (!type.startsWith("application/json")) {
            fail(i, request, r, "an error that is not JSON (" + type + ")");
            return;
        }
        try {
            JsonNode root = TestServer.mapper().readTree(body);
            JsonNode error = root.path("error");
            boolean envelope = root.isObject() && root.size() == 1 && error.isObject()
                    && error.path("type").isTextual() && !error.path("type").asText().isEmpty()
                    && error.path("message").isTextual()
                    && error.path("request_id").isTextual()
                    && r.header("x-request-id").equals(error.get("request_id").asText())
                    && error.size() == (error.has("problems") ? 4 : 3)
                    && (!error.has("problems") || error.get("problems").isArray());
            if (!envelope) {
                fail(i, request, r, "an error that is not the envelope");
            }
        } catch (IOException e) {
            fail(i, request, r, "an error whose body is not JSON");
        }
    }

    /** A refused one-time code counts its wrong try (five burn the code): that is the rule, not a leak. */
    private static boolean mayChangeWhenRefused(Operation op, RawHttp.Response r) {
        return op.path().endsWith("/otp/verify") && r.status() == 401;
    }

    private void fail(int i, RawHttp.Request request, RawHttp.Response r, String what) {
        failures.add("request #" + i + " (seed " + seed + "): " + what + "\n" + request.describe()
                + (r == null ? "" : "\n  -> " + r.status() + " " + r.header("content-type") + " " + RawHttp.cut(r.text(), 600)));
    }

    // ---- stored data ---------------------------------------------------------------------------

    /** Every table's row count and a digest of its rows (worker-owned columns left out), one line per table. */
    private static String snapshot(Connection db) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("select table_name from information_schema.tables where table_schema = current_schema() "
                     + "and table_type = 'BASE TABLE' order by table_name")) {
            while (rs.next()) {
                if (!NOT_DATA.contains(rs.getString(1))) {
                    tables.add(rs.getString(1));
                }
            }
        }
        StringBuilder sql = new StringBuilder();
        for (String table : tables) {
            if (!sql.isEmpty()) {
                sql.append(" union all ");
            }
            String source = WORKER_TABLES.getOrDefault(table, "select * from " + table);
            sql.append("select '").append(table).append("', count(*), coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from (")
                    .append(source).append(") t");
        }
        Map<String, String> lines = new LinkedHashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
            while (rs.next()) {
                lines.put(rs.getString(1), rs.getLong(2) + " " + rs.getString(3));
            }
        }
        StringBuilder out = new StringBuilder();
        lines.forEach((t, v) -> out.append(t).append(' ').append(v).append('\n'));
        return out.toString();
    }

    private static String diff(String before, String after) {
        List<String> a = List.of(before.split("\n"));
        StringBuilder out = new StringBuilder();
        for (String line : after.split("\n")) {
            if (!a.contains(line)) {
                out.append("  now ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    // ---- the database away ---------------------------------------------------------------------

    /** The same fuzzing against a server whose database cannot be reached. */
    private void outage(OpenApi api, List<Operation> operations, int n) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (TestServer server = TestServer.start(Map.of(
                "BUS_DATABASE_URL", "postgres://postgres@127.0.0.1:" + port + "/nothing_here?connectTimeout=1",
                "BUS_AUTH_HS256_SECRET", TestServer.SECRET,
                "BUS_AUTH_INTERNAL_SHARED_KEY", INTERNAL_KEY), null)) {
            for (int i = 0; i < n && failures.size() < 20; i++) {
                Operation op = operations.get(random.nextInt(operations.size()));
                RawHttp.Request request = request(api, op, server);
                RawHttp.Response response = exchange(server.port(), request, i);
                if (response != null) {
                    check(op, request, response, i, true);
                }
            }
        }
    }
}

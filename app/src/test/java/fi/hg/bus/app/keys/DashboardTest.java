package fi.hg.bus.app.keys;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.e2e.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static fi.hg.bus.app.keys.KeysWorld.SUBSCRIPTION;
import static fi.hg.bus.app.keys.KeysWorld.USAGE;
import static fi.hg.bus.app.keys.KeysWorld.create;
import static fi.hg.bus.app.keys.KeysWorld.dashboard;
import static fi.hg.bus.app.keys.KeysWorld.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAI-compatible dashboard endpoints against known usage, in every display type, per key
 * and per account, for limited and unlimited keys and accounts. Six servers share one database,
 * each with its own display settings, as replicas configured differently would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardTest {

    /** 2099-01-01T00:00:00Z. */
    private static final long EXPIRY = 4070908800L;

    private TestServer primary;
    private final Map<String, TestServer> servers = new HashMap<>();

    /** Account A on the metered plan: limited key L (250,000 used), unlimited key U (100,000), 50,000 without a key. */
    private String limited;
    private String unlimited;
    /** Account B on a plan without a quota on the meter, with an unlimited key (7,000 used). */
    private String open;
    /** Account C, never billed, with a key limited to 5,000. */
    private String unbilled;

    @BeforeAll
    void start() {
        primary = TestServer.start(Map.of("BUS_DATABASE_POOL_SIZE", "3"));
        for (String type : List.of("USD", "CNY", "TOKENS")) {
            for (boolean perKey : List.of(true, false)) {
                Map<String, String> env = new HashMap<>();
                env.put("BUS_DATABASE_URL", TestServer.postgresUrl(primary.database()));
                env.put("BUS_AUTH_HS256_SECRET", TestServer.SECRET);
                env.put("BUS_DATABASE_POOL_SIZE", "3");
                env.put("BUS_QUOTA_DISPLAY_TYPE", type.equals("TOKENS") ? "Tokens" : type.toLowerCase(java.util.Locale.ROOT));
                env.put("BUS_DISPLAY_TOKEN_STAT", Boolean.toString(perKey));
                servers.put(type + (perKey ? "/key" : "/account"), TestServer.start(env, null));
            }
        }
        KeysWorld.catalog(primary);
        UUID a = UUID.randomUUID();
        KeysWorld.activate(primary, a, "metered");
        JsonNode l = create(primary, a, "{\"name\":\"L\",\"quota_limit\":1000000,\"expires_at\":\"2099-01-01T00:00:00Z\"}");
        JsonNode u = create(primary, a, "{\"name\":\"U\"}");
        limited = l.path("key").asText();
        unlimited = u.path("key").asText();
        KeysWorld.use(primary, a, l.path("id").asText(), 250_000);
        KeysWorld.use(primary, a, u.path("id").asText(), 100_000);
        KeysWorld.use(primary, a, null, 50_000);

        UUID b = UUID.randomUUID();
        KeysWorld.activate(primary, b, "open");
        JsonNode k = create(primary, b, "{\"name\":\"K\",\"unlimited\":true}");
        open = k.path("key").asText();
        KeysWorld.use(primary, b, k.path("id").asText(), 7_000);

        JsonNode c = create(primary, UUID.randomUUID(), "{\"name\":\"C\",\"quota_limit\":5000}");
        unbilled = c.path("key").asText();
    }

    @AfterAll
    void stop() {
        servers.values().forEach(TestServer::close);
        primary.close();
    }

    /** Asserts the subscription and usage answers of {@code server} for {@code secret}. */
    private void expect(String server, String secret, String softLimit, String totalUsage, long accessUntil) {
        TestServer s = servers.get(server);
        TestServer.Response sub = dashboard(s, SUBSCRIPTION, secret);
        assertEquals(200, sub.status(), server + " " + sub.body());
        JsonNode j = sub.json();
        assertEquals(List.of("object", "has_payment_method", "soft_limit_usd", "hard_limit_usd", "system_hard_limit_usd",
                "access_until"), names(j), server);
        assertEquals("billing_subscription", j.path("object").asText());
        assertTrue(j.path("has_payment_method").asBoolean());
        for (String field : List.of("soft_limit_usd", "hard_limit_usd", "system_hard_limit_usd")) {
            assertTrue(j.path(field).isNumber(), field);
            assertEquals(0, new BigDecimal(softLimit).compareTo(j.path(field).decimalValue()),
                    server + " " + field + ": expected " + softLimit + " in " + sub.body());
        }
        assertTrue(j.path("access_until").isIntegralNumber());
        assertEquals(accessUntil, j.path("access_until").asLong(), server);

        TestServer.Response usage = dashboard(s, USAGE, secret);
        assertEquals(200, usage.status(), server + " " + usage.body());
        assertEquals(List.of("object", "total_usage"), names(usage.json()));
        assertEquals("list", usage.json().path("object").asText());
        assertTrue(usage.json().path("total_usage").isNumber());
        assertEquals(0, new BigDecimal(totalUsage).compareTo(usage.json().path("total_usage").decimalValue()),
                server + ": expected total_usage " + totalUsage + " in " + usage.body());
    }

    private static List<String> names(JsonNode j) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = j.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void a_limited_key_reports_its_limit_and_use_in_every_display_type() {
        expect("USD/key", limited, "2", "50", EXPIRY);
        expect("CNY/key", limited, "14.6", "365", EXPIRY);
        expect("TOKENS/key", limited, "1000000", "25000000", EXPIRY);
        expect("USD/key", unbilled, "0.01", "0", 0);
        expect("CNY/key", unbilled, "0.073", "0", 0);
        expect("TOKENS/key", unbilled, "5000", "0", 0);
    }

    @Test
    void an_unlimited_key_reports_one_hundred_million_and_its_use_in_every_display_type() {
        expect("USD/key", unlimited, "100000000", "20", 0);
        expect("CNY/key", unlimited, "100000000", "146", 0);
        expect("TOKENS/key", unlimited, "100000000", "10000000", 0);
        expect("USD/key", open, "100000000", "1.4", 0);
        expect("CNY/key", open, "100000000", "10.22", 0);
        expect("TOKENS/key", open, "100000000", "700000", 0);
    }

    @Test
    void per_account_the_binding_window_is_reported_in_every_display_type_whichever_key_asks() {
        for (String secret : List.of(limited, unlimited)) {
            long until = secret.equals(limited) ? EXPIRY : 0;
            expect("USD/account", secret, "4", "80", until);
            expect("CNY/account", secret, "29.2", "584", until);
            expect("TOKENS/account", secret, "2000000", "40000000", until);
        }
    }

    @Test
    void per_account_an_account_without_a_quota_on_the_meter_is_unlimited_and_one_without_billing_has_nothing() {
        expect("USD/account", open, "100000000", "0", 0);
        expect("CNY/account", open, "100000000", "0", 0);
        expect("TOKENS/account", open, "100000000", "0", 0);
        expect("USD/account", unbilled, "0", "0", 0);
        expect("TOKENS/account", unbilled, "0", "0", 0);
    }

    @Test
    void the_default_server_shows_usd_per_key_and_numbers_are_plain_json_numbers() {
        TestServer.Response r = dashboard(primary, SUBSCRIPTION, limited);
        assertEquals("{\"object\":\"billing_subscription\",\"has_payment_method\":true,\"soft_limit_usd\":2,"
                + "\"hard_limit_usd\":2,\"system_hard_limit_usd\":2,\"access_until\":4070908800}", r.body());
        assertTrue(r.contentType().startsWith("application/json"));
        assertEquals("{\"object\":\"list\",\"total_usage\":50}", dashboard(primary, USAGE, limited).body());
        assertEquals("{\"object\":\"list\",\"total_usage\":365}", dashboard(servers.get("CNY/key"), USAGE, limited).body());
        assertTrue(dashboard(servers.get("CNY/key"), SUBSCRIPTION, limited).body().contains("\"soft_limit_usd\":14.6,"));
    }

    @Test
    void both_paths_answer_alike_and_date_parameters_are_ignored() {
        String body = dashboard(primary, USAGE, limited).body();
        assertEquals(body, dashboard(primary, "/dashboard/billing/usage", limited).body());
        assertEquals(body, dashboard(primary, USAGE + "?start_date=2023-01-01&end_date=2023-02-01", limited).body());
        assertEquals(body, dashboard(primary, USAGE + "?start_date=garbage&end_date=%00", limited).body());
        assertEquals(dashboard(primary, SUBSCRIPTION, limited).body(),
                dashboard(primary, "/dashboard/billing/subscription?x=1", limited).body());
    }

    @Test
    void the_key_is_the_first_hyphen_separated_segment_after_sk() {
        String key = limited.substring(3);
        String expected = dashboard(primary, SUBSCRIPTION, limited).body();
        for (String auth : List.of("Bearer sk-" + key + "-channel-3", "Bearer " + key, "bearer sk-" + key,
                "BEARER   sk-" + key + "-")) {
            TestServer.Response r = get(primary, SUBSCRIPTION, auth);
            assertEquals(200, r.status(), auth.substring(0, 10) + " " + r.body());
            assertEquals(expected, r.body());
        }
    }

    /** An error answer without its request's own id, which differs from request to request by design. */
    private static String withoutRequestId(String body) {
        return body.replaceFirst(",\"request_id\":\"[^\"]*\"", "");
    }

    @Test
    void a_key_is_never_found_by_a_prefix_of_itself_nor_with_characters_added() {
        String key = limited.substring(3);
        String unknown = withoutRequestId(get(primary, SUBSCRIPTION, "Bearer sk-" + "Q".repeat(48)).body());
        for (int n : new int[]{1, 8, 11, 12, 13, 24, 47}) {
            TestServer.Response r = dashboard(primary, SUBSCRIPTION, "sk-" + key.substring(0, n));
            assertEquals("invalid sk- key", r.assertError(401, "buzz_error"), "prefix of " + n);
            assertEquals(unknown, withoutRequestId(r.body()));
            dashboard(primary, USAGE, "sk-" + key.substring(0, n) + "-" + key).assertError(401, "buzz_error");
        }
        dashboard(primary, SUBSCRIPTION, limited + "x").assertError(401, "buzz_error");
        dashboard(primary, SUBSCRIPTION, "sk-x" + key).assertError(401, "buzz_error");
        TestServer.Response sameLookup = dashboard(primary, SUBSCRIPTION, "sk-" + key.substring(0, 12) + "A".repeat(36));
        sameLookup.assertError(401, "buzz_error");
        assertEquals(unknown, withoutRequestId(sameLookup.body()), "a key with the right lookup but the wrong secret is refused like an unknown one");
    }

    @Test
    void missing_and_malformed_credentials_are_401_buzz_error() {
        assertTrue(get(primary, SUBSCRIPTION, null).assertError(401, "buzz_error").startsWith("missing sk- key"));
        get(primary, USAGE, null).assertError(401, "buzz_error");
        for (String auth : List.of("Bearer", "Bearer ", "Basic " + limited, limited, "Bearer sk-",
                "Bearer " + primary.token(TestServer.END_USER, "keys:read"), "Bearer sk-" + "A".repeat(5000))) {
            get(primary, SUBSCRIPTION, auth).assertError(401, "buzz_error");
            get(primary, USAGE, auth).assertError(401, "buzz_error");
        }
        TestServer.Response two = primary.send(primary.request(SUBSCRIPTION).header("Authorization", "Bearer " + limited)
                .header("Authorization", "Bearer " + limited).GET().build());
        two.assertError(401, "buzz_error");
        primary.send(primary.request(SUBSCRIPTION).header("Authorization", "Bearer " + limited)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).assertError(405, "method_not_allowed");
    }

    @Test
    void hostile_bytes_and_oversized_headers_get_an_error_envelope_never_a_200() throws Exception {
        String[] raw = {
                "Authorization: Bearer sk-\u00ff\u00fe" + "A".repeat(46),
                "Authorization: Bearer sk-" + "A".repeat(40000),
                "Authorization: Bearer sk-" + limited.substring(3, 20) + "'--"};
        for (String header : raw) {
            String answer = rawGet(SUBSCRIPTION, header);
            String status = answer.substring(0, answer.indexOf("\r\n"));
            assertTrue(status.matches("HTTP/1\\.1 4\\d\\d .*"), status);
            assertTrue(answer.contains("{\"error\":{\"type\":"), answer);
        }
    }

    private String rawGet(String path, String header) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", primary.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                int end = answer.indexOf("\r\n\r\n");
                if (end >= 0) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(answer);
                    if (m.find() && answer.length() >= end + 4 + Integer.parseInt(m.group(1))) {
                        break;
                    }
                }
            }
            return answer.toString();
        }
    }

    @Test
    void a_revoked_or_expired_key_is_refused_with_the_reason() throws Exception {
        UUID account = UUID.randomUUID();
        JsonNode key = create(primary, account, "{\"name\":\"soon\",\"expires_at\":\""
                + java.time.Instant.now().plusSeconds(2) + "\"}");
        String secret = key.path("key").asText();
        assertEquals(200, dashboard(primary, SUBSCRIPTION, secret).status());
        Thread.sleep(2100);
        assertEquals("this sk- key has expired", dashboard(primary, SUBSCRIPTION, secret).assertError(401, "buzz_error"));

        JsonNode other = create(primary, account, "{\"name\":\"gone\"}");
        assertEquals(200, KeysWorld.revoke(primary, account, other.path("id").asText()).status());
        assertEquals("this sk- key has been revoked",
                dashboard(primary, USAGE, other.path("key").asText()).assertError(401, "buzz_error"));
    }
}

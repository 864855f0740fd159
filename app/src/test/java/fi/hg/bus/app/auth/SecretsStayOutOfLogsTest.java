package fi.hg.bus.app.auth;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.e2e.TestServer;
import fi.hg.bus.app.observe.CapturedLogs;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static fi.hg.bus.app.auth.AuthServers.INTERNAL_KEY;
import static fi.hg.bus.app.auth.AuthServers.internalToken;
import static fi.hg.bus.app.auth.AuthServers.newEmail;
import static fi.hg.bus.app.auth.AuthServers.register;
import static fi.hg.bus.app.auth.AuthServers.requestCode;
import static fi.hg.bus.app.auth.AuthServers.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the flows that handle secrets (signing secret, internal key, one-time codes, session and
 * API tokens, {@code sk-} keys, Stripe's secret key and webhook secret, the metrics token, a
 * database password), right and wrong, and looks for each secret in everything the server logged,
 * written in both log formats. The one allowed exception is the console code sender's own line,
 * which exists to show the code to a developer.
 */
class SecretsStayOutOfLogsTest {

    private static final String STRIPE_KEY = "sk_test_logcheck0123456789abcdefSECRET";
    private static final String WEBHOOK_SECRET = "whsec_logcheck0123456789abcdefSECRET";
    private static final String METRICS_TOKEN = "metrics-logcheck-0123456789SECRET";
    private static final String DB_PASSWORD = "Db-Pa55word-logcheck-SECRET";

    @Test
    void no_secret_reaches_the_log_in_either_format() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(TestServer.SECRET, INTERNAL_KEY, STRIPE_KEY, WEBHOOK_SECRET,
                METRICS_TOKEN, DB_PASSWORD));
        List<String> codes = new ArrayList<>();
        try (CapturedLogs logs = CapturedLogs.install(); OtpLog otp = OtpLog.install()) {
            try (TestServer server = AuthServers.start(Map.of(
                    "BUS_AUTH_AUTO_APPROVE", "true",
                    "BUS_BILLING_PROVIDER_BACKEND", "stripe",
                    "BUS_STRIPE_SECRET_KEY", STRIPE_KEY,
                    "BUS_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET,
                    "BUS_STRIPE_API_BASE", "http://127.0.0.1:" + deadPort(),
                    "BUS_STRIPE_TIMEOUT", "1s",
                    "BUS_USAGE_EXPORT_RETRY_INITIAL", "1s",
                    "BUS_METRICS_TOKEN", METRICS_TOKEN))) {
                String email = newEmail();
                assertEquals(200, register(server, email).status());
                assertEquals(200, requestCode(server, email).status());
                String code = otp.code(email);
                codes.add(code);
                String wrong = code.equals("000000") ? "111111" : "000000";
                assertEquals(401, verify(server, email, wrong).status());
                JsonNode session = verify(server, email, code).json();
                String sessionToken = session.get("access_token").asText();
                assertEquals(401, verify(server, email, code).status(), "a used code is refused");
                secrets.add(sessionToken);
                secrets.add(signature(sessionToken));

                TestServer.Response api = server.post("/api/v1/auth/token", sessionToken,
                        "{\"scope\":\"billing:read billing:setup keys:read keys:write\"}");
                assertEquals(200, api.status(), api.body());
                String apiToken = api.json().get("access_token").asText();
                secrets.add(apiToken);
                secrets.add(signature(apiToken));

                TestServer.Response key = server.post("/api/v1/keys", apiToken, "{\"name\":\"log check\"}");
                assertTrue(key.status() == 200 || key.status() == 201, key.body());
                String sk = key.json().get("key").asText();
                assertTrue(sk.startsWith("sk-"), sk);
                secrets.add(sk);
                secrets.add(sk.substring(3));
                assertEquals(200, server.get("/v1/dashboard/billing/subscription", sk).status());
                String forged = "sk-" + "f".repeat(48) + "SECRET";
                secrets.add(forged);
                assertEquals(401, server.get("/v1/dashboard/billing/subscription", forged).status());
                String forgedJwt = sessionToken.substring(0, sessionToken.lastIndexOf('.') + 1) + "Zm9yZ2VkU0VDUkVU";
                secrets.add(forgedJwt);
                assertEquals(401, server.get("/api/v1/keys", forgedJwt).status());

                TestServer.Response internal = internalToken(server, INTERNAL_KEY,
                        "{\"subject\":\"" + UUID.randomUUID() + "\",\"audience\":\"ai.hg.fi/internal\",\"scope\":\"usage:write\"}");
                assertEquals(200, internal.status(), internal.body());
                String internalJwt = internal.json().get("access_token").asText();
                secrets.add(internalJwt);
                String wrongKey = "wrong-internal-key-0123456789SECRET";
                secrets.add(wrongKey);
                assertEquals(403, internalToken(server, wrongKey, "{\"subject\":\"x\"}").status());

                TestServer.Response checkout = server.post("/api/v1/billing/checkout-session", apiToken, "{}");
                assertTrue(checkout.status() >= 400, "Stripe cannot be reached: " + checkout.body());

                String payload = "{\"id\":\"evt_logcheck\",\"object\":\"event\",\"type\":\"customer.created\","
                        + "\"api_version\":\"2026-07-29.dahlia\",\"created\":" + (System.currentTimeMillis() / 1000)
                        + ",\"data\":{\"object\":{\"id\":\"cus_x\",\"object\":\"customer\"}}}";
                String signed = stripeSignature(payload, WEBHOOK_SECRET);
                secrets.add(signed.substring(signed.indexOf("v1=") + 3));
                assertEquals(200, webhook(server, payload, signed).status());
                assertEquals(400, webhook(server, payload, stripeSignature(payload, "whsec_wrong0123456789SECRET")).status());

                server.record("{\"event_type\":\"usage_recorded\",\"account_id\":\"" + session.get("identity_id").asText()
                        + "\",\"data\":{\"total_tokens\":12}}");
                awaitFailedExport(server);

                assertEquals(200, server.get("/metrics", METRICS_TOKEN).status());
                assertEquals(401, server.get("/metrics", "not-the-metrics-token-SECRET").status());
                secrets.add("not-the-metrics-token-SECRET");
                assertEquals(200, server.post("/api/v1/auth/logout", sessionToken, "{}").status());
            }
            int dead = deadPort();
            try (TestServer down = TestServer.start(Map.of(
                    "BUS_DATABASE_URL", "postgres://bus:" + DB_PASSWORD + "@127.0.0.1:" + dead + "/bus",
                    "BUS_AUTH_HS256_SECRET", TestServer.SECRET), null)) {
                assertEquals(503, down.get("/readyz", null).status());
            }

            assertTrue(logs.textRecords().size() > 0);
            for (String format : List.of("text", "json")) {
                List<String> records = format.equals("text") ? logs.textRecords() : logs.jsonRecords();
                for (String record : records) {
                    for (String secret : secrets) {
                        assertFalse(record.contains(secret), "the " + format + " log holds a secret: " + record);
                    }
                    if (!record.contains("BUS_AUTH_OTP ")) {
                        for (String c : codes) {
                            assertFalse(record.contains(c), "a one-time code outside the console sender's line: " + record);
                        }
                    }
                }
            }
        }
    }

    private static void awaitFailedExport(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            String metrics = server.get("/metrics", METRICS_TOKEN).body();
            if (metrics.lines().anyMatch(l -> l.startsWith("bus_usage_export_attempts_total{outcome=\"failed\"}")
                    && !l.endsWith(" 0"))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no export attempt failed");
    }

    private static TestServer.Response webhook(TestServer server, String payload, String signature) {
        return server.send(server.request("/api/internal/stripe/webhook")
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build());
    }

    private static String stripeSignature(String payload, String secret) throws Exception {
        long t = System.currentTimeMillis() / 1000;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8)));
    }

    private static String signature(String jwt) {
        return jwt.substring(jwt.lastIndexOf('.') + 1);
    }

    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

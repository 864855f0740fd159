package fi.hg.bus.app.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.config.ServeConfig;
import fi.hg.bus.app.serve.BusServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * Real servers for the quota and billing end-to-end tests: {@link BusServer} started the way
 * {@code bus serve} starts it, on a port of its own, against a test database; an HTTP client
 * that speaks to it with HS256 tokens signed here.
 */
final class QuotaTestServers {

    static final String SECRET = "quota-tests-hs256-secret-0123456789abcdef";
    static final String INTERNAL = "ai.hg.fi/internal";
    static final String API = "ai.hg.fi/api";
    static final String INTERNAL_SCOPES = "billing:catalog:read billing:catalog:write billing:entitlement:check "
            + "billing:read billing:subscriptions:write usage:write";

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private QuotaTestServers() {
    }

    /** The database as a {@code postgres://user:pass@host:port/db} URL, the form operators write. */
    static String postgresUrl(DatabaseUrl db) {
        String rest = db.jdbcUrl().substring("jdbc:postgresql://".length());
        String user = db.user() == null ? "" : enc(db.user()) + (db.password() == null ? "" : ":" + enc(db.password())) + "@";
        return "postgres://" + user + rest;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The environment of {@code bus serve} against {@code db}; tests add their own settings. */
    static Map<String, String> env(DatabaseUrl db) {
        Map<String, String> env = new HashMap<>();
        env.put("BUS_DATABASE_URL", postgresUrl(db));
        env.put("BUS_AUTH_HS256_SECRET", SECRET);
        env.put("BUS_DATABASE_POOL_SIZE", "8");
        return env;
    }

    static ServeConfig config(Map<String, String> env) {
        return ServeConfig.read(new Env(env), "127.0.0.1:0", null);
    }

    static BusServer start(Map<String, String> env) {
        return BusServer.start(config(env), Clock.systemUTC());
    }

    /** An HS256 token with the required claims, valid for an hour. */
    static String token(String subject, String audience, String scope) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode().put("sub", subject).put("aud", audience).put("scope", scope)
                .put("iat", now).put("exp", now + 3600);
        try {
            String signingInput = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + B64.encodeToString(JSON.writeValueAsBytes(claims));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String internalToken() {
        return token("quota-tests", INTERNAL, INTERNAL_SCOPES);
    }

    /** An answer: its status and its JSON body (a JSON null when the body is empty). */
    record Response(int status, JsonNode body) {
        String errorType() {
            return body.path("error").path("type").asText(null);
        }

        String errorMessage() {
            return body.path("error").path("message").asText("");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** One server's API, called with an internal token unless told otherwise. */
    static final class Api {
        private final int port;
        private final String internal = internalToken();

        Api(int port) {
            this.port = port;
        }

        Api(BusServer server) {
            this(server.port());
        }

        Response send(String method, String path, String token, String body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            try {
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = r.body().isEmpty() ? NullNode.getInstance() : JSON.readTree(r.body());
                return new Response(r.statusCode(), json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        Response get(String path) {
            return send("GET", path, internal, null);
        }

        Response put(String path, String body) {
            return send("PUT", path, internal, body);
        }

        Response post(String path, String body) {
            return send("POST", path, internal, body);
        }

        Response delete(String path) {
            return send("DELETE", path, internal, null);
        }

        Response putCatalog(String catalog) {
            return put("/api/internal/billing/catalog", catalog);
        }

        Response getCatalog() {
            return get("/api/internal/billing/catalog");
        }

        /** Reports {@code account} active on {@code plan} through a provider-neutral subscription update. */
        Response activate(UUID account, String plan) {
            return post("/api/internal/billing/subscription-updates", """
                    {"event_id":"activate-%s","account_id":"%s","provider":"local","status":"active","plan_id":"%s"}"""
                    .formatted(account, account, plan));
        }

        Response check(UUID account, long quantity) {
            return post("/api/internal/billing/entitlement-check", """
                    {"account_id":"%s","scope":"llm:proxy","usage":{"meter_event_name":"bus_llm_tokens","quantity":%d}}"""
                    .formatted(account, quantity));
        }

        Response reserve(UUID account, String reservationId, long quantity, int ttlSeconds) {
            return post("/api/internal/billing/entitlement-check", """
                    {"account_id":"%s","scope":"llm:proxy","usage":{"meter_event_name":"bus_llm_tokens","quantity":%d},
                     "reservation":{"id":"%s","ttl_seconds":%d}}""".formatted(account, quantity, reservationId, ttlSeconds));
        }

        Response release(String reservationId) {
            return delete("/api/internal/billing/reservations/" + URLEncoder.encode(reservationId, StandardCharsets.UTF_8));
        }

        /** Records {@code usage_recorded} with {@code data.total_tokens}. */
        Response use(UUID account, String eventId, long totalTokens) {
            return post("/api/internal/usage-events", """
                    {"event_type":"usage_recorded","event_id":"%s","account_id":"%s","data":{"total_tokens":%d}}"""
                    .formatted(eventId, account, totalTokens));
        }

        Response status(UUID account) {
            return get("/api/internal/billing/accounts/" + account + "/status");
        }
    }

    /** The usage item of {@code window} in a status answer, or a missing node. */
    static JsonNode usageItem(JsonNode status, String window) {
        for (JsonNode item : status.path("usage")) {
            if (item.path("window").asText().equals(window)) {
                return item;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}

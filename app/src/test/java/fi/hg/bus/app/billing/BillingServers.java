package fi.hg.bus.app.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import fi.hg.bus.adapters.http.auth.Hs256Jwt;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.config.ServeConfig;
import fi.hg.bus.app.e2e.TestServer;
import fi.hg.bus.app.serve.BusServer;
import fi.hg.bus.domain.auth.SigningSecret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real {@code bus serve} for the billing provider tests, on a database of its own that the test
 * may also read with SQL; replicas share the database and nothing else.
 */
final class BillingServers implements AutoCloseable {

    static final String SECRET = "billing-provider-tests-hs256-secret-0123456789";
    static final String API = "ai.hg.fi/api";
    static final String INTERNAL = "ai.hg.fi/internal";
    static final ObjectMapper JSON = new ObjectMapper();

    static final String CATALOG = """
            {"products":[{"id":"llm","name":"LLM access"},{"id":"runner","name":"Container runner"}],
             "meters":[{"name":"bus_llm_tokens","unit":"tokens"},{"name":"bus_container_runtime_seconds","unit":"seconds"}],
             "plans":[
              {"id":"llm-basic","name":"LLM Basic","product_id":"llm","features":["llm:proxy"],
               "prices":[{"currency":"eur","unit_amount":1000,"interval":"month"}],
               "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"minute","limit":20000,"upgrade_plan_id":"llm-pro"},
                         {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"month","limit":1000000,"upgrade_plan_id":"llm-pro"}],
               "provider_mappings":{"stripe":{"price_lookup_key":"llm-basic-monthly"}}},
              {"id":"llm-pro","name":"LLM Pro","product_id":"llm","features":["llm:proxy"],
               "prices":[{"currency":"eur","unit_amount":5000,"interval":"month"}],
               "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"minute","limit":100000},
                         {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"month","limit":10000000}],
               "provider_mappings":{"stripe":{"price_lookup_key":"llm-pro-monthly"}}},
              {"id":"runner","name":"Runner","product_id":"runner","features":["container:run"],
               "prices":[{"currency":"eur","unit_amount":900,"interval":"month"}],
               "quotas":[{"feature":"container:run","meter_event_name":"bus_container_runtime_seconds","window":"day","limit":3600}]}]}""";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final BusServer server;
    private final DatabaseUrl database;
    private final boolean ownsDatabase;
    private final Map<String, String> env;
    private final Hs256Jwt jwt;

    private BillingServers(BusServer server, DatabaseUrl database, boolean ownsDatabase, Map<String, String> env) {
        this.server = server;
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.env = env;
        this.jwt = new Hs256Jwt(SigningSecret.parse(SECRET), Clock.systemUTC());
    }

    /** A server on a fresh database with this environment on top of the URL and the secret. */
    static BillingServers start(Map<String, String> moreEnv) {
        DatabaseUrl database = TestDatabases.create();
        try {
            Map<String, String> env = new HashMap<>(moreEnv);
            env.put("BUS_DATABASE_URL", TestServer.postgresUrl(database));
            env.put("BUS_AUTH_HS256_SECRET", SECRET);
            env.putIfAbsent("BUS_DATABASE_POOL_SIZE", "6");
            return new BillingServers(BusServer.start(ServeConfig.read(new Env(env), "127.0.0.1:0", null), Clock.systemUTC()),
                    database, true, env);
        } catch (RuntimeException | Error e) {
            TestDatabases.drop(database);
            throw e;
        }
    }

    /** Another replica on the same database, with the same environment. */
    BillingServers replica() {
        return new BillingServers(BusServer.start(ServeConfig.read(new Env(env), "127.0.0.1:0", null), Clock.systemUTC()),
                database, false, env);
    }

    int port() {
        return server.port();
    }

    String base() {
        return "http://127.0.0.1:" + port();
    }

    /** An end-user token of {@code account} with these scopes. */
    String user(UUID account, String scope) {
        return user(account.toString(), scope);
    }

    String user(String subject, String scope) {
        Instant now = Instant.now();
        return jwt.sign(subject, API, scope, now, now.plus(Duration.ofMinutes(30)));
    }

    String internal(String scope) {
        Instant now = Instant.now();
        return jwt.sign("billing-tests", INTERNAL, scope, now, now.plus(Duration.ofMinutes(30)));
    }

    String operator() {
        return internal("billing:catalog:read billing:catalog:write billing:read usage:write billing:subscriptions:write");
    }

    /** An answer; {@link #json()} is its body as JSON (a JSON null when empty or not JSON). */
    record Response(int status, String body, HttpHeaders headers) {
        JsonNode json() {
            try {
                return body.isEmpty() ? NullNode.getInstance() : JSON.readTree(body);
            } catch (IOException e) {
                return NullNode.getInstance();
            }
        }

        String errorType() {
            return json().path("error").path("type").asText(null);
        }

        String errorMessage() {
            return json().path("error").path("message").asText("");
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Response send(String method, String path, String token, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response post(String path, String token, String json) {
        return send("POST", path, token, "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    Response get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    Response putCatalog(String catalog) {
        Response r = send("PUT", "/api/internal/billing/catalog", operator(), "application/json",
                catalog.getBytes(StandardCharsets.UTF_8));
        if (r.status() != 200) {
            throw new AssertionError("catalog refused: " + r);
        }
        return r;
    }

    JsonNode status(UUID account) {
        Response r = get("/api/internal/billing/accounts/" + account + "/status", operator());
        if (r.status() != 200) {
            throw new AssertionError("status failed: " + r);
        }
        return r.json();
    }

    /** Records {@code usage_recorded} with {@code total_tokens}; insists on 200. */
    JsonNode use(UUID account, String eventId, long tokens) {
        Response r = post("/api/internal/usage-events", operator(), """
                {"event_type":"usage_recorded","event_id":%s,"account_id":"%s","data":{"total_tokens":%d}}"""
                .formatted(eventId == null ? "null" : "\"" + eventId + "\"", account, tokens));
        if (r.status() != 200) {
            throw new AssertionError("recording failed: " + r);
        }
        return r.json();
    }

    /** Reports the account active on the plan through an internal subscription update. */
    void activate(UUID account, String plan) {
        Response r = post("/api/internal/billing/subscription-updates", operator(), """
                {"event_id":"activate-%s-%s","account_id":"%s","provider":"local","status":"active","plan_id":"%s"}"""
                .formatted(account, UUID.randomUUID(), account, plan));
        if (r.status() != 200) {
            throw new AssertionError("activation failed: " + r);
        }
    }

    /** Runs a statement on the database. */
    int sql(String statement) {
        try (Connection c = TestDatabases.connect(database); Statement s = c.createStatement()) {
            return s.executeUpdate(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of a query, each as a list of its columns' text. */
    List<List<String>> rows(String query) {
        try (Connection c = TestDatabases.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            List<List<String>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            if (ownsDatabase) {
                TestDatabases.drop(database);
            }
        }
    }
}

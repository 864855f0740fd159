package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.hg.bus.adapters.http.auth.Hs256Jwt;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.config.ServeConfig;
import fi.hg.bus.app.serve.BusServer;
import fi.hg.bus.domain.auth.SigningSecret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A real {@code bus serve} for end-to-end tests: {@link BusServer} on a free loopback port, on a
 * fresh database from {@link TestDatabases}, configured through {@link ServeConfig#read} the way
 * the process reads its environment. Offers tokens signed with the server's secret and an HTTP
 * client. Closing it stops the server and drops the database.
 */
public final class TestServer implements AutoCloseable {

    /** The HS256 secret every test server verifies with (raw text, 45 bytes). */
    public static final String SECRET = "not-a-secret-e2e-test-hs256-key-0123456789ab";
    public static final String INTERNAL = "ai.hg.fi/internal";
    public static final String END_USER = "ai.hg.fi/api";
    public static final String USAGE = "/api/internal/usage-events";
    /** A {@code before} later than every event the tests record. */
    public static final String FAR_FUTURE = "9999-12-31T23:59:59Z";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BusServer server;
    private final DatabaseUrl database;
    private final Hs256Jwt jwt;
    private final HttpClient http;

    private TestServer(BusServer server, DatabaseUrl database, Hs256Jwt jwt) {
        this.server = server;
        this.database = database;
        this.jwt = jwt;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** A server on a fresh database. */
    public static TestServer start() {
        return start(Map.of());
    }

    /** A server on a fresh database, with more environment on top of the URL and the secret. */
    public static TestServer start(Map<String, String> moreEnv) {
        DatabaseUrl database = TestDatabases.create();
        try {
            Map<String, String> env = new HashMap<>(moreEnv);
            env.put("BUS_DATABASE_URL", postgresUrl(database));
            env.put("BUS_AUTH_HS256_SECRET", SECRET);
            return start(env, database);
        } catch (RuntimeException | Error e) {
            TestDatabases.drop(database);
            throw e;
        }
    }

    /**
     * Another replica on this server's database, sharing nothing else with it; closing the replica
     * leaves the database to this server.
     */
    public TestServer replica() {
        if (database == null) {
            throw new IllegalStateException("this server has no database of its own");
        }
        return start(Map.of("BUS_DATABASE_URL", postgresUrl(database), "BUS_AUTH_HS256_SECRET", SECRET), null);
    }

    /** A server configured by {@code env} alone; {@code database}, when given, is dropped on close. */
    public static TestServer start(Map<String, String> env, DatabaseUrl database) {
        ServeConfig config = ServeConfig.read(new Env(env), "127.0.0.1:0", null);
        BusServer server = BusServer.start(config, Clock.systemUTC());
        SigningSecret secret = config.signingSecret().orElseThrow();
        return new TestServer(server, database, new Hs256Jwt(secret, Clock.systemUTC()));
    }

    /**
     * The {@code postgres://user:pass@host:port/db?params} form of a database location, as an
     * operator writes it in {@code BUS_DATABASE_URL}.
     */
    public static String postgresUrl(DatabaseUrl url) {
        String rest = url.jdbcUrl().substring("jdbc:postgresql://".length());
        StringBuilder s = new StringBuilder("postgres://");
        if (url.user() != null) {
            s.append(URLEncoder.encode(url.user(), StandardCharsets.UTF_8));
            if (url.password() != null) {
                s.append(':').append(URLEncoder.encode(url.password(), StandardCharsets.UTF_8));
            }
            s.append('@');
        }
        return s.append(rest).toString();
    }

    public int port() {
        return server.port();
    }

    /** Every route the server registered (method and path pattern). */
    public java.util.List<fi.hg.bus.adapters.http.HttpApi.Route> routes() {
        return server.routes();
    }

    /** This server's own database; null for a replica. */
    public DatabaseUrl database() {
        return database;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public Hs256Jwt jwt() {
        return jwt;
    }

    /** A valid token for five minutes. */
    public String token(String audience, String scope) {
        Instant now = Instant.now();
        return jwt.sign("e2e-test", audience, scope, now, now.plus(Duration.ofMinutes(5)));
    }

    /** An internal token with every usage scope. */
    public String collector() {
        return token(INTERNAL, "usage:read usage:write usage:delete");
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60));
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String pathAndQuery, String token) {
        return send(authorized(request(pathAndQuery), token).GET().build());
    }

    public Response delete(String pathAndQuery, String token) {
        return send(authorized(request(pathAndQuery), token).DELETE().build());
    }

    public Response post(String path, String token, String json) {
        return send(authorized(request(path), token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build());
    }

    /** Records usage with a collector token and insists that the server took the request. */
    public JsonNode record(String json) {
        Response r = post(USAGE, collector(), json);
        if (r.status() != 200) {
            throw new AssertionError("recording failed: " + r.status() + " " + r.body());
        }
        return r.json();
    }

    /** One page of the feed, read with a collector token; insists on 200. */
    public JsonNode feed(String query) {
        Response r = get(USAGE + query, collector());
        if (r.status() != 200) {
            throw new AssertionError("reading the feed failed: " + r.status() + " " + r.body());
        }
        return r.json();
    }

    /** Every item in the feed (up to 10,000). */
    public JsonNode everything() {
        return feed("?before=" + FAR_FUTURE + "&page_size=10000").get("items");
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder b, String token) {
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    @Override
    public void close() {
        try {
            http.close();
            server.close();
        } finally {
            if (database != null) {
                TestDatabases.drop(database);
            }
        }
    }

    /** An HTTP answer; {@link #json()} parses the body. */
    public record Response(int status, String body, HttpHeaders headers) {

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("the body is not JSON: " + body, e);
            }
        }

        /** The {@code type} of an error envelope, checking that the envelope has exactly its two keys. */
        public String errorType() {
            JsonNode error = errorObject();
            return error.get("type").asText();
        }

        public String errorMessage() {
            return errorObject().get("message").asText();
        }

        private JsonNode errorObject() {
            JsonNode root = json();
            if (root.size() != 1 || !root.has("error")) {
                throw new AssertionError("not an error envelope: " + body);
            }
            JsonNode error = root.get("error");
            if (!error.path("type").isTextual() || !error.path("message").isTextual()) {
                throw new AssertionError("not an error envelope: " + body);
            }
            // besides type and message: the problems of a 400, and the request's id, as its header has it
            for (var names = error.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!java.util.Set.of("type", "message", "problems", "request_id").contains(name)) {
                    throw new AssertionError("an unexpected key " + name + " in the error envelope: " + body);
                }
            }
            if (error.has("request_id") && !error.get("request_id").asText().equals(
                    headers.firstValue("X-Request-Id").orElse(null))) {
                throw new AssertionError("request_id differs from the X-Request-Id header: " + body);
            }
            return error;
        }

        /**
         * Insists on an error envelope with this status and type, served as JSON, and returns its
         * message.
         */
        public String assertError(int expectedStatus, String expectedType) {
            if (status != expectedStatus || !expectedType.equals(errorType())) {
                throw new AssertionError("expected " + expectedStatus + " " + expectedType
                        + " but got " + status + " " + body);
            }
            if (!contentType().startsWith("application/json")) {
                throw new AssertionError("an error is served as " + contentType());
            }
            return errorMessage();
        }

        public String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }
    }

    /** JSON text of a value, for building request bodies. */
    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}

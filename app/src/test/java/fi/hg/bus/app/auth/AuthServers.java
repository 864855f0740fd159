package fi.hg.bus.app.auth;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.e2e.TestServer;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Servers for the auth tests, with the console code sender and an internal key, and the steps of the account flow. */
final class AuthServers {

    static final String INTERNAL_KEY = "auth-tests-internal-shared-key-0123456789";
    static final String AUTH = "ai.hg.fi/auth";

    private static final Map<TestServer, DatabaseUrl> DATABASES = new java.util.concurrent.ConcurrentHashMap<>();

    private AuthServers() {
    }

    /** The database of a server made by {@link #start}. */
    static DatabaseUrl databaseOf(TestServer server) {
        return DATABASES.get(server);
    }

    /** The environment of a server on {@code database}, with the console sender, the internal key and {@code more}. */
    static Map<String, String> env(DatabaseUrl database, Map<String, String> more) {
        Map<String, String> env = new HashMap<>();
        env.put("BUS_DATABASE_URL", TestServer.postgresUrl(database));
        env.put("BUS_AUTH_HS256_SECRET", TestServer.SECRET);
        env.put("BUS_AUTH_OTP_SENDER", "console");
        env.put("BUS_AUTH_INTERNAL_SHARED_KEY", INTERNAL_KEY);
        env.put("BUS_DATABASE_POOL_SIZE", "4");
        env.putAll(more);
        return env;
    }

    /** A server on a fresh database, dropped when the server closes. */
    static TestServer start(Map<String, String> more) {
        DatabaseUrl database = TestDatabases.create();
        try {
            TestServer server = TestServer.start(env(database, more), database);
            DATABASES.put(server, database);
            return server;
        } catch (RuntimeException | Error e) {
            TestDatabases.drop(database);
            throw e;
        }
    }

    static String newEmail() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static String emailBody(String email) {
        return TestServer.json(Map.of("email", email));
    }

    static TestServer.Response register(TestServer server, String email) {
        return server.post("/api/v1/auth/register", null, emailBody(email));
    }

    static TestServer.Response requestCode(TestServer server, String email) {
        return server.post("/api/v1/auth/otp/request", null, emailBody(email));
    }

    static TestServer.Response verify(TestServer server, String email, String otp) {
        return server.post("/api/v1/auth/otp/verify", null, TestServer.json(Map.of("email", email, "otp", otp)));
    }

    /** Registers, asks for a code, reads it from the log and verifies it; returns the verify answer. */
    static JsonNode signIn(TestServer server, OtpLog log, String email) {
        assertEquals(200, register(server, email).status());
        TestServer.Response sent = requestCode(server, email);
        assertEquals(200, sent.status(), sent.body());
        TestServer.Response verified = verify(server, email, log.code(email));
        assertEquals(200, verified.status(), verified.body());
        return verified.json();
    }

    /** An operator's token of the auth audience, for the waitlist. */
    static String admin(TestServer server) {
        return server.token(AUTH, "waitlist:read waitlist:approve");
    }

    static void approve(TestServer server, String email) {
        TestServer.Response r = server.post("/api/v1/auth/admin/approve", admin(server), emailBody(email));
        assertEquals(200, r.status(), r.body());
    }

    static TestServer.Response internalToken(TestServer server, String key, String body) {
        HttpRequest.Builder b = server.request("/api/internal/auth/token")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (key != null) {
            b.header("X-Bus-Internal-Key", key);
        }
        return server.send(b.build());
    }
}

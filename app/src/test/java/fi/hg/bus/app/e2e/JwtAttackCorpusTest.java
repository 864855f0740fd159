package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.e2e.JwtAttacks.Attack;
import fi.hg.bus.app.e2e.JwtAttacks.Fitting;
import fi.hg.bus.app.e2e.TestServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The corpus of hostile tokens ({@link JwtAttacks}) against every kind of protected route: an end
 * user's, an internal service's, an operator's and an auth session's, reading and writing. Each
 * must be refused with 401 {@code invalid_auth} or 403 {@code forbidden} in the error envelope,
 * and a refused write stores nothing. A signed-out session stays signed out under every spelling.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAttackCorpusTest {

    static final String INTERNAL_KEY = "jwt-corpus-internal-shared-key-0123456789";
    static final String AUTH = "ai.hg.fi/auth";

    /** A protected route, the request it takes and the claims it accepts. */
    record Route(String kind, String method, String path, String body, String audience, String scope) {
        @Override
        public String toString() {
            return kind + " " + method + " " + path;
        }
    }

    private TestServer server;
    private String identityId;

    @BeforeAll
    void start() {
        server = TestServer.start(Map.of("BUS_AUTH_INTERNAL_SHARED_KEY", INTERNAL_KEY));
        String email = "corpus-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        assertEquals(200, server.post("/api/v1/auth/register", null, TestServer.json(Map.of("email", email))).status());
        JsonNode waitlist = server.get("/api/v1/auth/admin/waitlist", server.token(AUTH, "waitlist:read")).json();
        for (JsonNode item : waitlist.get("items")) {
            if (item.get("email").asText().equals(email)) {
                identityId = item.get("identity_id").asText();
            }
        }
        assertTrue(identityId != null, "the registered identity is on the waitlist");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private List<Route> routes() {
        return List.of(
                new Route("end user", "GET", "/api/v1/billing/status", null, TestServer.END_USER, "billing:read"),
                new Route("end user", "POST", "/api/v1/keys", "{\"name\":\"corpus\"}", TestServer.END_USER, "keys:write"),
                new Route("internal", "GET", "/api/internal/billing/catalog", null, TestServer.INTERNAL, "billing:catalog:read"),
                new Route("internal", "POST", "/api/internal/usage-events", "{\"event_type\":\"usage_recorded\"}",
                        TestServer.INTERNAL, "usage:write"),
                new Route("operator", "GET", "/api/v1/auth/admin/waitlist", null, AUTH, "waitlist:read"),
                new Route("operator", "POST", "/api/v1/auth/admin/approve", null, AUTH, "waitlist:approve"),
                new Route("session", "GET", "/api/v1/auth/status", null, AUTH, "session"));
    }

    private Fitting fitting(Route route) {
        String subject = route.kind().equals("internal") ? "corpus-service" : identityId;
        return new Fitting(route.audience(), route.scope(), subject, TestServer.SECRET);
    }

    private boolean requiresScope(Route route) {
        return !route.kind().equals("session");
    }

    private String body(Route route) {
        return route.path().endsWith("/approve") ? TestServer.json(Map.of("email", "nobody-" + UUID.randomUUID() + "@example.com"))
                : route.body();
    }

    private Response send(Route route, String authorization) {
        HttpRequest.Builder b = server.request(route.path());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        String body = body(route);
        if (body == null) {
            b.method(route.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(route.method(), HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return server.send(b.build());
    }

    Stream<Arguments> attacksOnRoutes() {
        List<Arguments> all = new ArrayList<>();
        for (Route route : routes()) {
            for (Attack attack : JwtAttacks.corpus()) {
                if (!attack.aboutScopes() || requiresScope(route)) {
                    all.add(Arguments.of(route, attack));
                }
            }
        }
        return all.stream();
    }

    @Test
    void theUntouchedTokensOfTheCorpusAreAcceptedSoEveryRefusalIsTheAttacksDoing() {
        for (Route route : routes()) {
            Response r = send(route, "Bearer " + JwtAttacks.valid(fitting(route)));
            // approving an unknown email is 404: past authentication, which is what counts here
            int expected = route.path().endsWith("/approve") ? 404 : 200;
            assertEquals(expected, r.status(), route + ": " + r.body());
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("attacksOnRoutes")
    void everyAttackIsRefusedWithTheEnvelopeAndStoresNothing(Route route, Attack attack) {
        boolean writes = !route.method().equals("GET");
        long before = writes ? storedRows() : 0;
        String token = attack.token().apply(fitting(route));
        Response r = send(route, "Bearer " + token);
        assertTrue(r.status() == 401 || r.status() == 403, () -> attack + " on " + route + ": " + r.status() + " " + r.body());
        String type = r.status() == 401 ? "invalid_auth" : "forbidden";
        String message = r.assertError(r.status(), type);
        assertFalse(token.length() > 12 && message.contains(token.substring(token.length() - 12)), message);
        if (writes) {
            assertEquals(before, storedRows(), "a refused request stored something");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "jwt-corpus-internal-shared-key-012345678", "jwt-corpus-internal-shared-key-0123456789x",
            "JWT-CORPUS-INTERNAL-SHARED-KEY-0123456789", "Bearer jwt-corpus-internal-shared-key-0123456789"})
    void theInternalTokenRouteRefusesEveryOtherKey(String key) {
        Response r = server.send(server.request("/api/internal/auth/token")
                .header("X-Bus-Internal-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"svc\",\"scope\":\"usage:read\"}"))
                .build());
        r.assertError(403, "forbidden");
    }

    @Test
    void theInternalTokenRouteTakesNoBearerTokenInsteadOfItsKey() {
        Response r = server.post("/api/internal/auth/token", server.token(TestServer.INTERNAL, "usage:read usage:write"),
                "{\"subject\":\"svc\",\"scope\":\"usage:read\"}");
        r.assertError(403, "forbidden");
        Response twice = server.send(server.request("/api/internal/auth/token")
                .header("X-Bus-Internal-Key", INTERNAL_KEY)
                .header("X-Bus-Internal-Key", INTERNAL_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"svc\",\"scope\":\"usage:read\"}"))
                .build());
        twice.assertError(403, "forbidden");
    }

    @Test
    void aSignedOutSessionIsRefusedUnderEverySpellingOfItsSignature() {
        long now = Instant.now().getEpochSecond();
        String session = JwtAttacks.signed(JwtAttacks.HS256, "{\"sub\":\"" + identityId + "\",\"aud\":\"" + AUTH
                + "\",\"scope\":\"session\",\"iat\":" + now + ",\"exp\":" + (now + 600) + ",\"jti\":\"" + UUID.randomUUID() + "\"}",
                TestServer.SECRET);
        assertEquals(200, server.get("/api/v1/auth/status", session).status());
        Response out = server.post("/api/v1/auth/logout", session, "{}");
        assertEquals(200, out.status(), out.body());

        for (String spelling : List.of(session, JwtAttacks.respelledSignature(session),
                JwtAttacks.respelledSignature(JwtAttacks.respelledSignature(session)))) {
            server.get("/api/v1/auth/status", spelling).assertError(401, "invalid_auth");
            server.post("/api/v1/auth/token", spelling, "{\"scope\":\"billing:read\"}").assertError(401, "invalid_auth");
            server.post("/api/v1/auth/logout", spelling, "{}").assertError(401, "invalid_auth");
        }
    }

    /** Every row the write routes of the corpus could store: usage records and keys. */
    private long storedRows() {
        return server.everything().size()
                + server.get("/api/v1/keys", server.jwt().sign(identityId, TestServer.END_USER, "keys:read",
                Instant.now(), Instant.now().plusSeconds(60))).json().get("keys").size();
    }
}

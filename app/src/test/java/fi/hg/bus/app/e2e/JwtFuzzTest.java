package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.app.e2e.JwtAttacks.Fitting;
import fi.hg.bus.app.e2e.TestServer.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzed variants of the JWT attack corpus: valid tokens edited character by character (every
 * edit must break them: a signature has one spelling only), and tokens re-signed with the real
 * secret after one rule was broken (expired, from the future, another audience, a missing scope,
 * a missing or mistyped claim) under random extra header fields. Every one against a user,
 * internal, operator or session route must be refused with 401 or 403 in the envelope.
 *
 * <p>Size: {@code -Dbus.reliability.scale=N} ({@value #TOKENS_PER_SCALE} tokens per step);
 * {@code -Dbus.reliability.seed=S} replays a run.
 */
@Tag("reliability")
class JwtFuzzTest {

    static final int TOKENS_PER_SCALE = 5000;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String AUTH = "ai.hg.fi/auth";
    private static final String ACCOUNT = "3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b";

    private record Route(String method, String path, String body, Fitting fitting) {
    }

    private final long seed = Long.getLong("bus.reliability.seed", new Random().nextLong());
    private final Random random = new Random(seed);

    @Test
    void everyFuzzedTokenIsRefusedOnEveryKindOfRoute() {
        int n = TOKENS_PER_SCALE * Integer.getInteger("bus.reliability.scale", 1);
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        try (TestServer server = TestServer.start()) {
            List<Route> routes = List.of(
                    new Route("GET", "/api/v1/billing/status", null,
                            new Fitting(TestServer.END_USER, "billing:read", ACCOUNT, TestServer.SECRET)),
                    new Route("POST", "/api/v1/keys", "{\"name\":\"fuzz\"}",
                            new Fitting(TestServer.END_USER, "keys:write", ACCOUNT, TestServer.SECRET)),
                    new Route("POST", "/api/internal/usage-events", "{\"event_type\":\"usage_recorded\"}",
                            new Fitting(TestServer.INTERNAL, "usage:write", "svc", TestServer.SECRET)),
                    new Route("GET", "/api/internal/billing/catalog", null,
                            new Fitting(TestServer.INTERNAL, "billing:catalog:read", "svc", TestServer.SECRET)),
                    new Route("GET", "/api/v1/auth/admin/waitlist", null,
                            new Fitting(AUTH, "waitlist:read", "operator", TestServer.SECRET)));
            for (Route route : routes) {
                Response ok = send(server, route, JwtAttacks.valid(route.fitting()));
                assertEquals(200, ok.status(), route.path() + ": the untouched token must pass: " + ok.body());
            }
            int stored = stored(server);
            for (int i = 0; i < n && failures.size() < 20; i++) {
                Route route = routes.get(random.nextInt(routes.size()));
                String token = random.nextBoolean() ? edited(JwtAttacks.valid(route.fitting())) : broken(route.fitting());
                if (token == null) {
                    continue;
                }
                Response r = send(server, route, token);
                boolean refused = (r.status() == 401 && envelope(r, "invalid_auth")) || (r.status() == 403 && envelope(r, "forbidden"));
                if (!refused) {
                    failures.add("#" + i + " (seed " + seed + ") " + route.method() + " " + route.path() + " with " + token
                            + " -> " + r.status() + " " + r.body());
                }
            }
            assertEquals(stored, stored(server), "a refused request stored something (seed " + seed + ")");
        }
        System.out.printf("jwt fuzz: seed %d, %d tokens in %d s%n", seed, n, (System.nanoTime() - started) / 1_000_000_000L);
        assertEquals(List.of(), failures, "replay with -Dbus.reliability.seed=" + seed);
    }

    private static boolean envelope(Response r, String type) {
        try {
            return type.equals(r.errorType()) && r.contentType().startsWith("application/json");
        } catch (AssertionError e) {
            return false;
        }
    }

    private static Response send(TestServer server, Route route, String token) {
        HttpRequest.Builder b = server.request(route.path()).header("Authorization", "Bearer " + token);
        if (route.body() == null) {
            b.method(route.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(route.method(), HttpRequest.BodyPublishers.ofString(route.body(), StandardCharsets.UTF_8));
        }
        return server.send(b.build());
    }

    private static int stored(TestServer server) {
        Instant now = Instant.now();
        String keys = server.jwt().sign(ACCOUNT, TestServer.END_USER, "keys:read", now, now.plusSeconds(60));
        return server.everything().size() + server.get("/api/v1/keys", keys).json().get("keys").size();
    }

    /** One to three character edits inside the token (never at its ends, which the server strips); null when unchanged. */
    private String edited(String token) {
        StringBuilder s = new StringBuilder(token);
        for (int k = 0, edits = 1 + random.nextInt(3); k < edits; k++) {
            int at = 1 + random.nextInt(s.length() - 2);
            char c = random.nextInt(12) == 0 ? ".=+/".charAt(random.nextInt(4)) : ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(4)) {
                case 0 -> s.insert(at, c);
                case 1 -> s.deleteCharAt(at);
                default -> s.setCharAt(at, c);
            }
        }
        if (random.nextInt(10) == 0) {
            String[] parts = s.toString().split("\\.", -1);
            if (parts.length == 3) {
                return parts[1] + "." + parts[0] + "." + parts[2];
            }
        }
        String out = s.toString();
        return out.equals(token) ? null : out;
    }

    /** The fitting claims with exactly one rule broken, signed with the real secret, under random extra header fields. */
    private String broken(Fitting f) {
        ObjectNode claims = JwtAttacks.claims(f);
        long now = Instant.now().getEpochSecond();
        switch (random.nextInt(9)) {
            case 0 -> claims.put("exp", now - 1 - random.nextInt(1_000_000));
            case 1 -> claims.put("iat", now + 31 + random.nextInt(1_000_000));
            case 2 -> claims.put("nbf", now + 31 + random.nextInt(1_000_000));
            case 3 -> {
                String other;
                do {
                    other = pick(TestServer.END_USER, TestServer.INTERNAL, AUTH, "", "ai.hg.fi", f.audience() + "/",
                            f.audience().toUpperCase(java.util.Locale.ROOT), " " + f.audience());
                } while (other.equals(f.audience()));
                claims.put("aud", other);
            }
            case 4 -> claims.put("scope", pick("", "*", f.scope() + "x", f.scope().toUpperCase(java.util.Locale.ROOT),
                    f.scope().replace(":", "."), "other:scope", f.scope().substring(0, f.scope().length() - 1)));
            case 5 -> claims.remove(pick("sub", "aud", "scope", "iat", "exp"));
            case 6 -> claims.put(pick("sub", "aud", "scope"), random.nextInt());
            case 7 -> claims.put(pick("iat", "exp", "nbf"), pick("soon", "", "1e3", "-1"));
            default -> claims.putNull(pick("sub", "aud", "scope", "iat", "exp", "nbf"));
        }
        StringBuilder header = new StringBuilder("{\"alg\":\"HS256\"");
        for (int k = 0, extra = random.nextInt(3); k < extra; k++) {
            header.append(",\"").append(pick("kid", "jku", "x5u", "typ", "cty", "x5t", "zip")).append(k).append("\":\"")
                    .append(pick("../../dev/null", "https://attacker.example/", "JWT", "DEF", "")).append('"');
        }
        header.append('}');
        return JwtAttacks.signed(header.toString(), claims.toString(), f.secret());
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}

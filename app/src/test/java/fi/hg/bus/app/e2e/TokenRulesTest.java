package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.http.auth.Hs256Jwt;
import fi.hg.bus.app.e2e.TestServer.Response;
import fi.hg.bus.domain.auth.SigningSecret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import static fi.hg.bus.app.e2e.TestServer.END_USER;
import static fi.hg.bus.app.e2e.TestServer.INTERNAL;
import static fi.hg.bus.app.e2e.TestServer.USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Bearer tokens over HTTP (SPEC 2): 401 invalid_auth for bad tokens, 403 forbidden where they do not fit. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenRulesTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String RECORD = "{\"event_type\":\"usage_recorded\"}";

    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aRequestWithoutAuthorizationIsMissingABearerToken() {
        Response r = server.get(USAGE, null);
        assertEquals("missing bearer token", r.assertError(401, "invalid_auth"));
        assertEquals("{\"error\":{\"type\":\"invalid_auth\",\"message\":\"missing bearer token\",\"request_id\":\""
                + r.headers().firstValue("X-Request-Id").orElseThrow() + "\"}}", r.body());
        server.send(server.request(USAGE).DELETE().build()).assertError(401, "invalid_auth");
        server.send(server.request(USAGE).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RECORD)).build()).assertError(401, "invalid_auth");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Token abc", "Bearer", "Bearer ", "bearer"})
    void anAuthorizationThatIsNotABearerTokenIsRefused(String authorization) {
        Response r = server.send(server.request(USAGE).header("Authorization", authorization).GET().build());
        r.assertError(401, "invalid_auth");
    }

    @Test
    void twoAuthorizationHeadersAreRefusedEvenWhenBothAreGood() {
        String token = server.collector();
        Response r = server.send(server.request(USAGE).header("Authorization", "Bearer " + token)
                .header("Authorization", "Bearer " + token).GET().build());
        assertEquals("more than one Authorization header", r.assertError(401, "invalid_auth"));
    }

    @Test
    void oneAuthorizationHeaderHoldingACommaIsRefused() {
        String token = server.collector();
        for (String value : new String[] {"Bearer " + token + ",", "Bearer " + token + ", Bearer " + token,
                "Bearer \"" + token + ",x\"", "Bearer a,b"}) {
            Response r = server.send(server.request(USAGE).header("Authorization", value).GET().build());
            String message = r.assertError(401, "invalid_auth");
            assertFalse(message.contains(token), message);
        }
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        Response r = server.send(server.request(USAGE).header("Authorization", "bearer " + server.collector()).GET().build());
        assertEquals(200, r.status(), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "a.b.c", "a.b", "....", "eyJhbGciOiJIUzI1NiJ9.e30.", "not-a-secret-token-value"})
    void aGarbageTokenIsRefusedWithoutEchoingIt(String token) {
        Response r = server.get(USAGE, token);
        String message = r.assertError(401, "invalid_auth");
        assertFalse(message.contains(token), message);
    }

    @Test
    void aTokenWithAlgorithmNoneIsRefused() {
        String header = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = B64.encodeToString(validClaims().toString().getBytes(StandardCharsets.UTF_8));
        server.get(USAGE, header + "." + payload + ".").assertError(401, "invalid_auth");
        // even when it carries a signature that the server's own key would make
        String signingInput = header + "." + payload;
        server.get(USAGE, signingInput + "." + hmac(TestServer.SECRET, signingInput)).assertError(401, "invalid_auth");
    }

    @Test
    void aTokenWithAnotherAlgorithmIsRefused() {
        for (String alg : new String[]{"HS512", "RS256", "hs256"}) {
            String header = B64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
            String signingInput = header + "." + B64.encodeToString(validClaims().toString().getBytes(StandardCharsets.UTF_8));
            server.get(USAGE, signingInput + "." + hmac(TestServer.SECRET, signingInput)).assertError(401, "invalid_auth");
        }
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        Hs256Jwt other = new Hs256Jwt(SigningSecret.parse("another-secret-that-is-long-enough-0123456789"), Clock.systemUTC());
        Instant now = Instant.now();
        String token = other.sign("e2e-test", INTERNAL, "usage:read", now, now.plusSeconds(300));
        server.get(USAGE, token).assertError(401, "invalid_auth");
    }

    @Test
    void aTokenWithATamperedPayloadIsRefused() {
        String token = server.token(INTERNAL, "usage:write");
        String[] parts = token.split("\\.");
        ObjectNode claims = validClaims();
        claims.put("scope", "usage:write usage:read usage:delete");
        String forged = parts[0] + "." + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        server.get(USAGE, forged).assertError(401, "invalid_auth");
    }

    @Test
    void anExpiredTokenIsRefused() {
        ObjectNode claims = validClaims();
        long now = Instant.now().getEpochSecond();
        claims.put("iat", now - 600);
        claims.put("exp", now - 60);
        server.get(USAGE, server.jwt().signClaims(claims)).assertError(401, "invalid_auth");
    }

    @Test
    void aTokenIssuedInTheFutureIsRefusedBeyondTheLeeway() {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = validClaims();
        claims.put("iat", now + 120);
        claims.put("exp", now + 600);
        server.get(USAGE, server.jwt().signClaims(claims)).assertError(401, "invalid_auth");

        ObjectNode withinLeeway = validClaims();
        withinLeeway.put("iat", now + 10);
        assertEquals(200, server.get(USAGE, server.jwt().signClaims(withinLeeway)).status());
    }

    @Test
    void aTokenNotValidBeforeAFutureTimeIsRefusedBeyondTheLeeway() {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = validClaims();
        claims.put("nbf", now + 120);
        server.get(USAGE, server.jwt().signClaims(claims)).assertError(401, "invalid_auth");

        ObjectNode withinLeeway = validClaims();
        withinLeeway.put("nbf", now + 10);
        assertEquals(200, server.get(USAGE, server.jwt().signClaims(withinLeeway)).status());
        ObjectNode past = validClaims();
        past.put("nbf", now - 10);
        assertEquals(200, server.get(USAGE, server.jwt().signClaims(past)).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "aud", "scope", "iat", "exp"})
    void aTokenMissingARequiredClaimIsRefused(String claim) {
        ObjectNode claims = validClaims();
        assertEquals(200, server.get(USAGE, server.jwt().signClaims(claims)).status(), "the complete token is valid");
        claims.remove(claim);
        server.get(USAGE, server.jwt().signClaims(claims)).assertError(401, "invalid_auth");
        claims.putNull(claim);
        server.get(USAGE, server.jwt().signClaims(claims)).assertError(401, "invalid_auth");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "scope", "iat", "exp"})
    void aTokenWithAClaimOfTheWrongTypeIsRefused(String claim) {
        ObjectNode claims = validClaims();
        if (claim.equals("iat") || claim.equals("exp")) {
            claims.put(claim, "soon");
        } else {
            claims.put(claim, 12);
        }
        server.get(USAGE, server.jwt().signClaims(claims)).assertError(401, "invalid_auth");
    }

    @Test
    void anEndUserTokenIsForbiddenOnTheInternalRoutes() {
        int stored = server.everything().size();
        String endUser = server.token(END_USER, "usage:read usage:write usage:delete");
        server.get(USAGE, endUser).assertError(403, "forbidden");
        server.post(USAGE, endUser, RECORD).assertError(403, "forbidden");
        server.delete(USAGE, endUser).assertError(403, "forbidden");
        server.get(USAGE, server.token("ai.hg.fi/auth", "usage:read")).assertError(403, "forbidden");
        server.get(USAGE, server.token("https://example.com", "usage:read")).assertError(403, "forbidden");
        assertEquals(stored, server.everything().size(), "nothing was recorded or deleted");
    }

    @Test
    void aTokenWithoutTheRouteScopeIsForbidden() {
        int stored = server.everything().size();
        String reader = server.token(INTERNAL, "usage:read");
        server.delete(USAGE, reader).assertError(403, "forbidden");
        server.post(USAGE, reader, RECORD).assertError(403, "forbidden");
        String writer = server.token(INTERNAL, "usage:write");
        server.get(USAGE, writer).assertError(403, "forbidden");
        server.delete(USAGE, writer).assertError(403, "forbidden");
        String deleter = server.token(INTERNAL, "usage:delete");
        server.get(USAGE, deleter).assertError(403, "forbidden");
        server.post(USAGE, server.token(INTERNAL, ""), RECORD).assertError(403, "forbidden");
        server.post(USAGE, server.token(INTERNAL, "usage:writer usage"), RECORD).assertError(403, "forbidden");
        assertEquals(stored, server.everything().size(), "nothing was recorded or deleted");
    }

    @Test
    void eachRouteAcceptsItsOwnScope() {
        assertEquals(200, server.post(USAGE, server.token(INTERNAL, "usage:write"), RECORD).status());
        assertEquals(200, server.get(USAGE, server.token(INTERNAL, "usage:read")).status());
        assertEquals(200, server.delete(USAGE + "?before=2000-01-01T00:00:00Z", server.token(INTERNAL, "usage:delete")).status());
        // an audience list that holds the internal audience fits too
        ObjectNode claims = validClaims();
        claims.putArray("aud").add(END_USER).add(INTERNAL);
        assertEquals(200, server.get(USAGE, server.jwt().signClaims(claims)).status());
    }

    private static ObjectNode validClaims() {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = TestServer.mapper().createObjectNode();
        claims.put("sub", "e2e-test");
        claims.put("aud", INTERNAL);
        claims.put("scope", "usage:read usage:write usage:delete");
        claims.put("iat", now);
        claims.put("exp", now + 300);
        return claims;
    }

    private static String hmac(String secret, String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

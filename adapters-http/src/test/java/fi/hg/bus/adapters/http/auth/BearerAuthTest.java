package fi.hg.bus.adapters.http.auth;

import fi.hg.bus.adapters.http.ApiError;
import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Principal;
import fi.hg.bus.domain.auth.SigningSecret;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Authorization header as read by {@link BearerAuth}, and the scopes it grants, on real Helidon headers. */
class BearerAuthTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final byte[] SECRET = "an-hs256-secret-of-well-over-32-bytes-for-tests".getBytes(StandardCharsets.UTF_8);

    private final Hs256Jwt jwt = new Hs256Jwt(SigningSecret.ofBytes(SECRET), Clock.fixed(NOW, ZoneOffset.UTC));
    private final BearerAuth auth = new BearerAuth(jwt);

    private static Headers authorization(String... values) {
        WritableHeaders<?> headers = WritableHeaders.create();
        for (String value : values) {
            headers.add(HeaderNames.AUTHORIZATION, value);
        }
        return headers;
    }

    private static String refusal(Headers headers) {
        ApiError e = assertThrows(ApiError.class, () -> BearerAuth.bearerToken(headers));
        assertEquals(401, e.status());
        assertEquals("invalid_auth", e.type());
        return e.getMessage();
    }

    private String token(String scope) {
        return jwt.sign("acct-1", Audience.INTERNAL.uri(), scope, NOW.minusSeconds(5), NOW.plusSeconds(600));
    }

    // ---- the header -----------------------------------------------------------------------------

    @Test
    void no_authorization_header_is_a_missing_bearer_token() {
        assertEquals("missing bearer token", refusal(WritableHeaders.create()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Bearer", "Bearer ", "Bearer    ", "bearer", "Basic dXNlcjpwYXNz", "Token abc", "Bearerabc"})
    void a_header_without_a_bearer_token_is_a_missing_bearer_token(String value) {
        assertEquals("missing bearer token", refusal(authorization(value)));
    }

    @Test
    void two_authorization_headers_are_refused_even_when_both_are_good() {
        String token = token("usage:read");

        assertEquals("more than one Authorization header", refusal(authorization("Bearer " + token, "Bearer " + token)));
        assertEquals("more than one Authorization header", refusal(authorization("Bearer a", "Bearer b", "Bearer c")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer a,b", "Bearer abc,", "Bearer ,abc", "Bearer \"a,b\"", ",", "Bearer a, Bearer b", "Basic x,y"})
    void a_comma_in_the_header_is_refused(String value) {
        assertTrue(refusal(authorization(value)).contains("comma"));
    }

    @Test
    void a_good_token_followed_by_a_comma_is_refused() {
        String token = token("usage:read");

        assertTrue(refusal(authorization("Bearer " + token + ",")).contains("comma"));
        assertTrue(refusal(authorization("Bearer " + token + ", Bearer " + token)).contains("comma"));
    }

    @Test
    void the_scheme_is_case_insensitive_and_blanks_around_are_stripped() {
        assertEquals("abc", BearerAuth.bearerToken(authorization("Bearer abc")));
        assertEquals("abc", BearerAuth.bearerToken(authorization("bEaReR abc")));
        assertEquals("abc", BearerAuth.bearerToken(authorization("  BEARER    abc  ")));
        assertEquals("a b", BearerAuth.bearerToken(authorization("Bearer a b")));
    }

    // ---- the token and its scopes ---------------------------------------------------------------

    @Test
    void a_good_token_gives_its_principal_on_every_request() {
        String token = token("usage:read usage:write");
        for (int i = 0; i < 3; i++) {
            Principal principal = auth.require(authorization("Bearer " + token), Audience.INTERNAL, "usage:write");

            assertEquals("acct-1", principal.subject());
            assertEquals(Audience.INTERNAL, principal.audience());
            assertEquals("usage:read usage:write", principal.scopes().text());
            assertEquals(NOW.plusSeconds(600), principal.expiresAt());
        }
    }

    @Test
    void a_malformed_scope_is_401_on_every_request() {
        for (String scope : new String[] {"bad;scope", "usage:read\tusage:write", "s".repeat(101), "usage:read ümlaut"}) {
            String token = token(scope);
            for (int i = 0; i < 3; i++) {
                ApiError e = assertThrows(ApiError.class,
                        () -> auth.require(authorization("Bearer " + token), Audience.INTERNAL));
                assertEquals(401, e.status());
                assertEquals("invalid bearer token: the scope claim is malformed", e.getMessage());
            }
        }
    }

    @Test
    void a_token_lacking_the_scope_or_audience_is_403_on_every_request() {
        String token = token("usage:read");
        for (int i = 0; i < 3; i++) {
            ApiError scope = assertThrows(ApiError.class,
                    () -> auth.require(authorization("Bearer " + token), Audience.INTERNAL, "usage:write"));
            assertEquals(403, scope.status());
            ApiError audience = assertThrows(ApiError.class,
                    () -> auth.require(authorization("Bearer " + token), Audience.API, "usage:read"));
            assertEquals(403, audience.status());
        }
    }

    @Test
    void distinct_scope_texts_beyond_the_bound_each_grant_their_own_scopes() {
        int count = BearerAuth.SCOPES_LIMIT + 100;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < count; i++) {
                String token = token("usage:read s:" + i);
                Principal principal = auth.require(authorization("Bearer " + token), Audience.INTERNAL, "s:" + i);
                assertEquals("usage:read s:" + i, principal.scopes().text());
                int other = (i + 1) % count;
                assertThrows(ApiError.class, () -> auth.require(authorization("Bearer " + token), Audience.INTERNAL, "s:" + other));
            }
        }
    }

    @Test
    void a_bad_token_is_401_with_the_reason() {
        ApiError e = assertThrows(ApiError.class, () -> auth.require(authorization("Bearer a.b.c"), Audience.INTERNAL));

        assertEquals(401, e.status());
        assertTrue(e.getMessage().startsWith("invalid bearer token: "), e.getMessage());
    }
}

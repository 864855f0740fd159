package fi.hg.bus.adapters.http.auth;

import fi.hg.bus.adapters.http.ApiError;
import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Principal;
import fi.hg.bus.domain.auth.Scopes;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webserver.http.ServerRequest;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates a request by its bearer token: 401 {@code invalid_auth} when the token is missing
 * or not valid, 403 {@code forbidden} when a valid token's audience or scopes do not fit the route.
 */
public final class BearerAuth {

    private static final String PREFIX = "bearer ";
    /** How many distinct scope texts are kept parsed at most; a full map is emptied. */
    static final int SCOPES_LIMIT = 1_000;

    private final Hs256Jwt jwt;
    /**
     * Scope claims already parsed, by their exact text: tokens carry few distinct ones. Only texts
     * that parsed are kept, so a malformed scope is refused on every request.
     */
    private final ConcurrentHashMap<String, Scopes> parsedScopes = new ConcurrentHashMap<>();

    public BearerAuth(Hs256Jwt jwt) {
        this.jwt = jwt;
    }

    /** The caller, when its token is valid for {@code audience} and holds every scope in {@code scopes}. */
    public Principal require(ServerRequest req, Audience audience, String... scopes) {
        return require(req.headers(), audience, scopes);
    }

    /** {@link #require(ServerRequest, Audience, String...)} on the request's headers. */
    Principal require(Headers headers, Audience audience, String... scopes) {
        String token = bearerToken(headers);
        Hs256Jwt.Claims claims;
        Scopes granted;
        try {
            claims = jwt.verify(token);
            granted = scopes(claims.scope());
        } catch (Hs256Jwt.InvalidToken e) {
            throw ApiError.invalidAuth("invalid bearer token: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidAuth("invalid bearer token: the scope claim is malformed");
        }
        if (!claims.audiences().contains(audience.uri())) {
            throw ApiError.forbidden("token audience does not allow this route (needs " + audience.uri() + ")");
        }
        for (String scope : scopes) {
            if (!granted.contains(scope)) {
                throw ApiError.forbidden("token lacks the scope " + scope);
            }
        }
        return new Principal(claims.subject(), audience, granted, claims.expiresAt());
    }

    /** {@link Scopes#parse}, kept by text; throws as it does for a malformed text, which is never kept. */
    private Scopes scopes(String text) {
        Scopes known = parsedScopes.get(text);
        if (known != null) {
            return known;
        }
        Scopes parsed = Scopes.parse(text);
        if (parsedScopes.size() >= SCOPES_LIMIT) {
            parsedScopes.clear();
        }
        parsedScopes.put(text, parsed);
        return parsed;
    }

    /** The raw token of an {@code Authorization: Bearer …} header, or 401 when there is none. */
    public static String bearerToken(ServerRequest req) {
        return bearerToken(req.headers());
    }

    /**
     * The raw token of the one {@code Authorization} header. The header is read as sent, without
     * splitting it on commas: two Authorization headers are refused, and so is one whose value
     * holds a comma, which no bearer token does.
     */
    static String bearerToken(Headers headers) {
        if (!headers.contains(HeaderNames.AUTHORIZATION)) {
            throw ApiError.invalidAuth("missing bearer token");
        }
        Header header = headers.get(HeaderNames.AUTHORIZATION);
        if (header.valueCount() == 0) {
            throw ApiError.invalidAuth("missing bearer token");
        }
        if (header.valueCount() > 1) {
            throw ApiError.invalidAuth("more than one Authorization header");
        }
        String value = header.get().strip();
        if (value.indexOf(',') >= 0) {
            throw ApiError.invalidAuth("malformed Authorization header: a bearer token holds no comma");
        }
        if (value.length() <= PREFIX.length() || !value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw ApiError.invalidAuth("missing bearer token");
        }
        return value.substring(PREFIX.length()).strip();
    }
}

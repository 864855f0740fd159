package fi.hg.bus.adapters.http.auth;

import fi.hg.bus.adapters.http.ApiError;
import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Principal;
import fi.hg.bus.domain.auth.Scopes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.util.List;

/**
 * Authenticates a request by its bearer token: 401 {@code invalid_auth} when the token is missing
 * or not valid, 403 {@code forbidden} when a valid token's audience or scopes do not fit the route.
 */
public final class BearerAuth {

    private static final String PREFIX = "bearer ";

    private final Hs256Jwt jwt;

    public BearerAuth(Hs256Jwt jwt) {
        this.jwt = jwt;
    }

    /** The caller, when its token is valid for {@code audience} and holds every scope in {@code scopes}. */
    public Principal require(ServerRequest req, Audience audience, String... scopes) {
        String token = bearerToken(req);
        Hs256Jwt.Claims claims;
        Scopes granted;
        try {
            claims = jwt.verify(token);
            granted = Scopes.parse(claims.scope());
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

    /** The raw token of an {@code Authorization: Bearer …} header, or 401 when there is none. */
    public static String bearerToken(ServerRequest req) {
        List<String> values = req.headers().values(HeaderNames.AUTHORIZATION);
        if (values.isEmpty()) {
            throw ApiError.invalidAuth("missing bearer token");
        }
        if (values.size() > 1) {
            throw ApiError.invalidAuth("more than one Authorization header");
        }
        String value = values.getFirst().strip();
        if (value.length() <= PREFIX.length() || !value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw ApiError.invalidAuth("missing bearer token");
        }
        return value.substring(PREFIX.length()).strip();
    }
}

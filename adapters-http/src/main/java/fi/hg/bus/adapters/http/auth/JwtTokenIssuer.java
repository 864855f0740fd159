package fi.hg.bus.adapters.http.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.application.identity.IssuedToken;
import fi.hg.bus.application.identity.TokenIssuer;
import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Scopes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Issues HS256 tokens with the claims every route checks ({@code sub}, {@code aud},
 * {@code scope}, {@code iat}, {@code exp}) and a {@code jti} of its own, so that no two tokens
 * are the same text (a signed-out session is remembered by its text's digest).
 */
public final class JwtTokenIssuer implements TokenIssuer {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Hs256Jwt jwt;
    private final Clock clock;

    public JwtTokenIssuer(Hs256Jwt jwt, Clock clock) {
        this.jwt = jwt;
        this.clock = clock;
    }

    @Override
    public IssuedToken issue(String subject, Audience audience, Scopes scopes, Duration ttl) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        ObjectNode claims = MAPPER.createObjectNode();
        claims.put("sub", subject);
        claims.put("aud", audience.uri());
        claims.put("scope", scopes.text());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return new IssuedToken(jwt.signClaims(claims), expires, audience, scopes);
    }
}

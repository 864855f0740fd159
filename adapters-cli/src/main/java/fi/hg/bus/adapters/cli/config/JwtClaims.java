package fi.hg.bus.adapters.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a saved token says about itself, read without checking its signature (the server does
 * that): when it expires and which scopes it holds, so that a command can say at once that a
 * token is too old or too narrow instead of sending it.
 */
public record JwtClaims(Optional<Instant> expiresAt, Set<String> scopes, Optional<String> audience) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The claims of {@code token}; empty when it is not a readable JWT (the server will say why). */
    public static Optional<JwtClaims> peek(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode claims = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (claims == null || !claims.isObject()) {
                return Optional.empty();
            }
            Optional<Instant> exp = claims.path("exp").isNumber()
                    ? Optional.of(Instant.ofEpochSecond(claims.path("exp").asLong())) : Optional.empty();
            Set<String> scopes = new LinkedHashSet<>();
            if (claims.path("scope").isTextual()) {
                for (String s : claims.path("scope").asText().strip().split(" +")) {
                    if (!s.isEmpty()) {
                        scopes.add(s);
                    }
                }
            }
            JsonNode aud = claims.path("aud");
            Optional<String> audience = aud.isTextual() ? Optional.of(aud.asText())
                    : aud.isArray() && aud.size() == 1 && aud.get(0).isTextual() ? Optional.of(aud.get(0).asText()) : Optional.empty();
            return Optional.of(new JwtClaims(exp, Set.copyOf(scopes), audience));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    public boolean expiredAt(Instant now) {
        return expiresAt.isPresent() && !expiresAt.get().isAfter(now);
    }
}

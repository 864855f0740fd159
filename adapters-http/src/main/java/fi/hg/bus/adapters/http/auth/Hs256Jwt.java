package fi.hg.bus.adapters.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.domain.auth.SigningSecret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HS256 JSON Web Tokens: signing, and verification with every rule the product requires. Only
 * {@code alg: HS256} is accepted; the signature is checked before any claim is read; {@code sub},
 * {@code aud}, {@code scope}, {@code iat} and {@code exp} are required; a token past its
 * {@code exp} is refused, and so is one whose {@code iat} or {@code nbf} lies more than the
 * leeway in the future.
 *
 * <p>The claims of a token that passed every check are kept, by the token's exact text, in a
 * bounded map ({@link #CACHE_LIMIT} entries; when full it is emptied), so that a token presented
 * again is not parsed again. Every other check still runs on every request, in the same order:
 * length, shape, canonical base64url of every part, the header's algorithm, and the HMAC, which
 * is computed again over the token's header and payload and compared in constant time with the
 * token's signature. Only after the signature has verified is the map consulted, and then the
 * time rules ({@code exp}, and {@code iat} and {@code nbf} with the leeway) are evaluated against
 * the clock from the kept values. A hit therefore can never accept a token whose signature is not
 * valid: the signature is checked before the map is read and a bad one is refused whatever the
 * map holds; a token that differs from a kept one by any character (another spelling of the
 * signature, one changed byte anywhere) is another key and is checked in full. What a hit skips
 * is the parsing of the payload, whose result depends on the token's text alone, so it answers
 * exactly as a fresh parse would. A token refused by any check is never kept. The map belongs to
 * this verifier, so it never answers for tokens under another secret.
 *
 * <p>The header this class signs with is recognised by its exact base64url text, which is known
 * to decode to {@code {"alg":"HS256","typ":"JWT"}}; any other header is parsed and checked.
 */
public final class Hs256Jwt {

    /** Tolerated clock difference for {@code iat} and {@code nbf}. */
    public static final Duration LEEWAY = Duration.ofSeconds(30);
    /** Longer tokens are refused before any work is done on them. */
    public static final int MAX_TOKEN_LENGTH = 8192;
    /** How many verified tokens' claims are kept at most. */
    public static final int CACHE_LIMIT = 10_000;

    private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));

    private final SecretKeySpec key;
    private final Clock clock;
    /**
     * A Mac initialised with the key once, never used itself: every token gets a clone of it,
     * which costs far less than {@code Mac.getInstance} and {@code init} on every request. Null
     * when the provider's Mac cannot be cloned.
     */
    private final Mac prototype;
    /** The claims of tokens that passed every check, by their exact text; see the class comment. */
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();
    private final int cacheLimit;

    public Hs256Jwt(SigningSecret secret, Clock clock) {
        this(secret, clock, CACHE_LIMIT);
    }

    /** With another bound on the kept claims (tests show the emptying with a small one). */
    Hs256Jwt(SigningSecret secret, Clock clock, int cacheLimit) {
        if (cacheLimit < 1) {
            throw new IllegalArgumentException("cacheLimit must be at least 1");
        }
        this.key = new SecretKeySpec(secret.bytes(), "HmacSHA256");
        this.clock = clock;
        this.prototype = cloneable(key);
        this.cacheLimit = cacheLimit;
    }

    private static Mac cloneable(SecretKeySpec key) {
        try {
            Mac mac = newMac(key);
            mac.clone();
            return mac;
        } catch (CloneNotSupportedException e) {
            return null;
        }
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The claims of a verified token. {@code audiences} lists every value of {@code aud}. */
    public record Claims(String subject, List<String> audiences, String scope, Instant issuedAt, Instant expiresAt) {
    }

    /** What is kept of a verified token: its claims, and its {@code nbf} when it has one (else null). */
    private record Verified(Claims claims, Instant notBefore) {
    }

    /** A token that is not acceptable, with the reason (safe to show: it holds no secret). */
    public static final class InvalidToken extends Exception {
        public InvalidToken(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Signs a token with the required claims. */
    public String sign(String subject, String audience, String scope, Instant issuedAt, Instant expiresAt) {
        ObjectNode claims = MAPPER.createObjectNode();
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("scope", scope);
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        return signClaims(claims);
    }

    /** Signs any claims object as they are. */
    public String signClaims(JsonNode claims) {
        try {
            String payload = B64.encodeToString(MAPPER.writeValueAsBytes(claims));
            String signingInput = HEADER + "." + payload;
            return signingInput + "." + B64.encodeToString(mac(signingInput));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Claims verify(String token) throws InvalidToken {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidToken("token is too long");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || second == token.length() - 1 || token.indexOf('.', second + 1) >= 0) {
            throw new InvalidToken("token is not a signed JWT");
        }
        String headerPart = token.substring(0, first);
        byte[] headerBytes = decode(headerPart, "header");
        if (!headerPart.equals(HEADER)) {
            checkHeader(parseObject(headerBytes, "header"));
        }
        byte[] signature = decode(token.substring(second + 1), "signature");
        byte[] expected = mac(token.substring(0, second));
        if (!MessageDigest.isEqual(expected, signature)) {
            throw new InvalidToken("token signature is not valid");
        }
        byte[] payload = decode(token.substring(first + 1, second), "claims");
        Verified known = verified.get(token);
        if (known != null) {
            Instant now = clock.instant();
            checkExpiryAndIssue(known.claims().expiresAt(), known.claims().issuedAt(), now);
            if (known.notBefore() != null) {
                checkNotBefore(known.notBefore(), now);
            }
            return known.claims();
        }
        JsonNode claims = parseObject(payload, "claims");
        String subject = requiredText(claims, "sub");
        List<String> audiences = audiences(claims);
        String scope = requiredText(claims, "scope");
        Instant issuedAt = requiredTime(claims, "iat");
        Instant expiresAt = requiredTime(claims, "exp");
        Instant now = clock.instant();
        checkExpiryAndIssue(expiresAt, issuedAt, now);
        Instant notBefore = null;
        if (claims.has("nbf")) {
            notBefore = requiredTime(claims, "nbf");
            checkNotBefore(notBefore, now);
        }
        Claims result = new Claims(subject, audiences, scope, issuedAt, expiresAt);
        remember(token, new Verified(result, notBefore));
        return result;
    }

    private static void checkHeader(JsonNode header) throws InvalidToken {
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || !alg.asText().equals("HS256")) {
            throw new InvalidToken("token algorithm must be HS256");
        }
        if (header.has("crit")) {
            throw new InvalidToken("token carries critical extensions that are not supported");
        }
    }

    private static void checkExpiryAndIssue(Instant expiresAt, Instant issuedAt, Instant now) throws InvalidToken {
        if (!expiresAt.isAfter(now)) {
            throw new InvalidToken("token has expired");
        }
        if (issuedAt.isAfter(now.plus(LEEWAY))) {
            throw new InvalidToken("token is issued in the future");
        }
    }

    private static void checkNotBefore(Instant notBefore, Instant now) throws InvalidToken {
        if (notBefore.isAfter(now.plus(LEEWAY))) {
            throw new InvalidToken("token is not valid yet");
        }
    }

    /**
     * Keeps a verified token's claims. A full map is emptied first: O(1) and lock-free; requests
     * running at the same moment may each add one entry past the bound, never more.
     */
    private void remember(String token, Verified entry) {
        if (verified.size() >= cacheLimit) {
            verified.clear();
        }
        verified.put(token, entry);
    }

    /** How many tokens' claims are kept now. */
    int cachedTokens() {
        return verified.size();
    }

    private byte[] mac(String signingInput) {
        Mac mac;
        if (prototype == null) {
            mac = newMac(key);
        } else {
            try {
                mac = (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                mac = newMac(key);
            }
        }
        return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Decodes one part, which must be canonical base64url: the decoder ignores the unused low bits
     * of the last character, so without this check one signature would have several spellings, and
     * a signed-out session token (revoked by its exact text) would pass again under another one.
     */
    private static byte[] decode(String part, String what) throws InvalidToken {
        if (part.indexOf('=') >= 0) {
            throw new InvalidToken("token " + what + " is not base64url");
        }
        byte[] bytes;
        try {
            bytes = B64D.decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("token " + what + " is not base64url");
        }
        if (!B64.encodeToString(bytes).equals(part)) {
            throw new InvalidToken("token " + what + " is not canonical base64url");
        }
        return bytes;
    }

    private static JsonNode parseObject(byte[] bytes, String what) throws InvalidToken {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new InvalidToken("token " + what + " is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidToken("token " + what + " is not a JSON object");
        }
        return node;
    }

    private static String requiredText(JsonNode claims, String name) throws InvalidToken {
        JsonNode value = claims.get(name);
        if (value == null || value.isNull()) {
            throw new InvalidToken("token has no " + name + " claim");
        }
        if (!value.isTextual() || (name.equals("sub") && value.asText().isBlank())) {
            throw new InvalidToken("token " + name + " claim is not a non-empty string");
        }
        return value.asText();
    }

    private static List<String> audiences(JsonNode claims) throws InvalidToken {
        JsonNode aud = claims.get("aud");
        if (aud == null || aud.isNull()) {
            throw new InvalidToken("token has no aud claim");
        }
        List<String> result = new ArrayList<>();
        if (aud.isTextual()) {
            result.add(aud.asText());
        } else if (aud.isArray() && !aud.isEmpty()) {
            for (JsonNode a : aud) {
                if (!a.isTextual()) {
                    throw new InvalidToken("token aud claim must hold strings");
                }
                result.add(a.asText());
            }
        } else {
            throw new InvalidToken("token aud claim must be a string or a list of strings");
        }
        return List.copyOf(result);
    }

    private static Instant requiredTime(JsonNode claims, String name) throws InvalidToken {
        JsonNode value = claims.get(name);
        if (value == null || value.isNull()) {
            throw new InvalidToken("token has no " + name + " claim");
        }
        if (!value.isNumber()) {
            throw new InvalidToken("token " + name + " claim is not a number");
        }
        double seconds = value.asDouble();
        if (!Double.isFinite(seconds) || seconds < 0 || seconds > 253402300799d) {
            throw new InvalidToken("token " + name + " claim is out of range");
        }
        return Instant.ofEpochSecond((long) Math.floor(seconds));
    }
}

package fi.hg.bus.adapters.http.auth;

import fi.hg.bus.domain.auth.SigningSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rule of SPEC section 2 for tokens, each shown by a token crafted here with its own HMAC, so
 * that only the rule under test can be the reason for a refusal.
 */
class Hs256JwtTest {

    private static final byte[] SECRET = "an-hs256-secret-of-well-over-32-bytes-for-tests".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final long NOW_S = NOW.getEpochSecond();
    private static final String HS256_HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Hs256Jwt jwt = new Hs256Jwt(SigningSecret.ofBytes(SECRET), Clock.fixed(NOW, ZoneOffset.UTC));

    // ---- crafting -------------------------------------------------------------------------------

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Base64url of the JSON with '=' padding, adding trailing blanks until padding is needed. */
    private static String paddedBase64(String json) {
        String text = json;
        while (text.getBytes(StandardCharsets.UTF_8).length % 3 == 0) {
            text += " ";
        }
        return Base64.getUrlEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(String algorithm, byte[] key, String signingInput) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** header.payload.signature with an HS256 signature by the verifier's own secret. */
    private static String token(String headerJson, String payloadJson) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        return input + "." + B64.encodeToString(hmac("HmacSHA256", SECRET, input));
    }

    private static String token(String payloadJson) {
        return token(HS256_HEADER, payloadJson);
    }

    /** The claims of a good token, in an order that keeps the JSON readable; values are raw JSON. */
    private static Map<String, String> goodClaims() {
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("sub", "\"7b0e3c2e-1d6f-4f0e-9d55-0b6c7b0b5a11\"");
        claims.put("aud", "\"ai.hg.fi/internal\"");
        claims.put("scope", "\"usage:read usage:delete\"");
        claims.put("iat", String.valueOf(NOW_S - 10));
        claims.put("exp", String.valueOf(NOW_S + 3600));
        return claims;
    }

    private static String json(Map<String, String> claims) {
        return claims.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String with(String name, String rawJsonValue) {
        Map<String, String> claims = goodClaims();
        claims.put(name, rawJsonValue);
        return token(json(claims));
    }

    private static String without(String name) {
        Map<String, String> claims = goodClaims();
        claims.remove(name);
        return token(json(claims));
    }

    private Hs256Jwt.InvalidToken refused(String token) {
        return assertThrows(Hs256Jwt.InvalidToken.class, () -> jwt.verify(token));
    }

    private static void assertMentions(Hs256Jwt.InvalidToken e, String words) {
        assertTrue(e.getMessage().contains(words), () -> "expected \"" + words + "\" in: " + e.getMessage());
    }

    // ---- accepted -------------------------------------------------------------------------------

    @Test
    void a_crafted_good_token_is_accepted_with_its_claims() throws Exception {
        Hs256Jwt.Claims claims = jwt.verify(token(json(goodClaims())));

        assertEquals("7b0e3c2e-1d6f-4f0e-9d55-0b6c7b0b5a11", claims.subject());
        assertEquals(List.of("ai.hg.fi/internal"), claims.audiences());
        assertEquals("usage:read usage:delete", claims.scope());
        assertEquals(Instant.ofEpochSecond(NOW_S - 10), claims.issuedAt());
        assertEquals(Instant.ofEpochSecond(NOW_S + 3600), claims.expiresAt());
    }

    @Test
    void a_signed_token_verifies_to_the_claims_it_was_signed_with() throws Exception {
        String token = jwt.sign("acct-1", "ai.hg.fi/api", "billing:read billing:setup",
                NOW.minusSeconds(5), NOW.plusSeconds(900));

        Hs256Jwt.Claims claims = jwt.verify(token);

        assertEquals(new Hs256Jwt.Claims("acct-1", List.of("ai.hg.fi/api"), "billing:read billing:setup",
                NOW.minusSeconds(5), NOW.plusSeconds(900)), claims);
    }

    @Test
    void a_signed_token_is_three_base64url_segments_with_an_hs256_header() {
        String token = jwt.sign("s", "ai.hg.fi/api", "x", NOW, NOW.plusSeconds(60));

        String[] parts = token.split("\\.", -1);
        assertEquals(3, parts.length);
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"alg\":\"HS256\""), header);
        assertTrue(token.matches("[A-Za-z0-9_\\-.]+"), token);
    }

    @Test
    void a_token_signed_with_another_secret_is_refused() {
        Hs256Jwt other = new Hs256Jwt(SigningSecret.parse("another-secret-that-is-32-bytes-or-more"), Clock.fixed(NOW, ZoneOffset.UTC));
        String token = other.sign("s", "ai.hg.fi/api", "x", NOW, NOW.plusSeconds(60));

        assertMentions(refused(token), "signature");
    }

    @Test
    void a_token_with_an_nbf_in_the_past_is_accepted() throws Exception {
        jwt.verify(with("nbf", String.valueOf(NOW_S - 60)));
    }

    @Test
    void fractional_times_are_accepted() throws Exception {
        Map<String, String> claims = goodClaims();
        claims.put("iat", (NOW_S - 1) + ".5");
        claims.put("exp", (NOW_S + 60) + ".25");

        Hs256Jwt.Claims verified = jwt.verify(token(json(claims)));

        assertEquals(Instant.ofEpochSecond(NOW_S + 60), verified.expiresAt());
    }

    @Test
    void aud_as_an_array_of_strings_is_accepted_with_every_value() throws Exception {
        Hs256Jwt.Claims claims = jwt.verify(with("aud", "[\"ai.hg.fi/api\",\"ai.hg.fi/internal\"]"));

        assertEquals(List.of("ai.hg.fi/api", "ai.hg.fi/internal"), claims.audiences());
    }

    @Test
    void unknown_claims_and_header_fields_are_ignored() throws Exception {
        jwt.verify(token("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}",
                json(goodClaims()).replace("{", "{\"jti\":\"abc\",\"iss\":\"ai.hg.fi\",")));
    }

    // ---- algorithm ------------------------------------------------------------------------------

    @Test
    void alg_none_with_no_signature_is_refused() {
        String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(json(goodClaims())) + ".";

        refused(unsigned);
    }

    @Test
    void alg_none_is_refused_even_with_a_valid_hs256_signature() {
        assertMentions(refused(token("{\"alg\":\"none\",\"typ\":\"JWT\"}", json(goodClaims()))), "algorithm");
    }

    @Test
    void alg_hs512_signed_with_hs512_is_refused() {
        String input = b64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." + b64(json(goodClaims()));
        String token = input + "." + B64.encodeToString(hmac("HmacSHA512", SECRET, input));

        assertMentions(refused(token), "algorithm");
    }

    @Test
    void alg_hs512_header_with_an_hs256_signature_is_refused() {
        assertMentions(refused(token("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", json(goodClaims()))), "algorithm");
    }

    @Test
    void alg_rs256_header_with_a_valid_hs256_signature_over_it_is_refused() {
        // algorithm confusion: the attacker signs with HMAC what claims to be an RSA signature
        assertMentions(refused(token("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", json(goodClaims()))), "algorithm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"typ\":\"JWT\"}", "{\"alg\":\"hs256\"}", "{\"alg\":\"HS256 \"}", "{\"alg\":null}",
            "{\"alg\":[\"HS256\"]}", "{\"alg\":256}", "{\"alg\":\"ES256\"}", "{\"alg\":\"PS256\"}"})
    void any_header_without_alg_exactly_hs256_is_refused(String header) {
        assertMentions(refused(token(header, json(goodClaims()))), "algorithm");
    }

    @Test
    void a_header_with_critical_extensions_is_refused() {
        refused(token("{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}", json(goodClaims())));
    }

    // ---- required claims ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"sub", "aud", "scope", "iat", "exp"})
    void a_token_missing_a_required_claim_is_refused(String claim) {
        assertMentions(refused(without(claim)), claim);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "aud", "scope", "iat", "exp"})
    void a_required_claim_that_is_null_is_refused(String claim) {
        assertMentions(refused(with(claim, "null")), claim);
    }

    @Test
    void an_empty_or_blank_subject_is_refused() {
        assertMentions(refused(with("sub", "\"\"")), "sub");
        assertMentions(refused(with("sub", "\"   \"")), "sub");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "true", "{}", "[\"acct\"]"})
    void a_subject_that_is_not_a_string_is_refused(String value) {
        assertMentions(refused(with("sub", value)), "sub");
    }

    @ParameterizedTest
    @ValueSource(strings = {"123", "true", "[\"usage:read\",\"usage:delete\"]", "{\"usage:read\":true}", "1.5"})
    void a_scope_that_is_not_a_string_is_refused(String value) {
        assertMentions(refused(with("scope", value)), "scope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[\"ai.hg.fi/api\",7]", "[null]", "[[\"ai.hg.fi/api\"]]", "7", "true", "{\"ai.hg.fi/api\":1}"})
    void an_aud_that_is_neither_a_string_nor_a_list_of_strings_is_refused(String value) {
        assertMentions(refused(with("aud", value)), "aud");
    }

    @ParameterizedTest
    @ValueSource(strings = {"iat", "exp", "nbf"})
    void a_time_claim_that_is_not_a_number_is_refused(String claim) {
        assertMentions(refused(with(claim, "\"" + (NOW_S - 1) + "\"")), claim);
        assertMentions(refused(with(claim, "true")), claim);
    }

    @ParameterizedTest
    @ValueSource(strings = {"iat", "exp", "nbf"})
    void a_time_claim_out_of_range_is_refused(String claim) {
        assertMentions(refused(with(claim, "-1")), claim);
        assertMentions(refused(with(claim, "1e300")), claim);
        assertMentions(refused(with(claim, "99999999999999999999999")), claim);
    }

    @Test
    void an_nbf_given_as_null_is_refused() {
        assertMentions(refused(with("nbf", "null")), "nbf");
    }

    // ---- time -----------------------------------------------------------------------------------

    @Test
    void a_token_that_expired_one_second_ago_is_refused() {
        assertMentions(refused(with("exp", String.valueOf(NOW_S - 1))), "expired");
    }

    @Test
    void a_token_expiring_at_this_very_second_is_refused() {
        assertMentions(refused(with("exp", String.valueOf(NOW_S))), "expired");
    }

    @Test
    void a_token_expiring_one_second_from_now_is_accepted() throws Exception {
        jwt.verify(with("exp", String.valueOf(NOW_S + 1)));
    }

    @Test
    void a_long_expired_token_is_refused_whatever_else_is_right() {
        assertMentions(refused(with("exp", String.valueOf(NOW_S - 86_400 * 365))), "expired");
    }

    @Test
    void iat_more_than_thirty_seconds_in_the_future_is_refused() {
        assertMentions(refused(with("iat", String.valueOf(NOW_S + 31))), "future");
        assertMentions(refused(with("iat", String.valueOf(NOW_S + 3600))), "future");
    }

    @Test
    void iat_up_to_thirty_seconds_in_the_future_is_accepted() throws Exception {
        jwt.verify(with("iat", String.valueOf(NOW_S + 29)));
        jwt.verify(with("iat", String.valueOf(NOW_S + 30)));
    }

    @Test
    void nbf_more_than_thirty_seconds_in_the_future_is_refused() {
        assertMentions(refused(with("nbf", String.valueOf(NOW_S + 31))), "not valid yet");
        assertMentions(refused(with("nbf", String.valueOf(NOW_S + 3600))), "not valid yet");
    }

    @Test
    void nbf_up_to_thirty_seconds_in_the_future_is_accepted() throws Exception {
        jwt.verify(with("nbf", String.valueOf(NOW_S + 29)));
        jwt.verify(with("nbf", String.valueOf(NOW_S + 30)));
    }

    @Test
    void the_clock_decides_what_now_is() throws Exception {
        String token = with("exp", String.valueOf(NOW_S + 60));
        Hs256Jwt later = new Hs256Jwt(SigningSecret.ofBytes(SECRET), Clock.fixed(NOW.plusSeconds(61), ZoneOffset.UTC));

        jwt.verify(token);
        assertThrows(Hs256Jwt.InvalidToken.class, () -> later.verify(token));
    }

    // ---- signature ------------------------------------------------------------------------------

    @Test
    void a_token_with_a_changed_signature_is_refused() {
        String good = token(json(goodClaims()));
        String[] parts = good.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[0] ^= 0x01;
        String bad = parts[0] + "." + parts[1] + "." + B64.encodeToString(signature);

        assertMentions(refused(bad), "signature");
    }

    @Test
    void a_token_whose_payload_was_changed_after_signing_is_refused() {
        String good = token(json(goodClaims()));
        String[] parts = good.split("\\.");
        Map<String, String> widened = goodClaims();
        widened.put("scope", "\"usage:read usage:delete usage:write\"");
        String forged = parts[0] + "." + b64(json(widened)) + "." + parts[2];

        assertMentions(refused(forged), "signature");
    }

    @Test
    void a_token_with_a_truncated_signature_is_refused() {
        String good = token(json(goodClaims()));
        String[] parts = good.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        String shorter = parts[0] + "." + parts[1] + "." + B64.encodeToString(java.util.Arrays.copyOf(signature, 16));

        assertMentions(refused(shorter), "signature");
    }

    @Test
    void a_token_with_its_signature_stripped_is_refused() {
        String good = token(json(goodClaims()));
        String stripped = good.substring(0, good.lastIndexOf('.') + 1);

        refused(stripped);
    }

    @Test
    void a_signature_that_is_not_base64url_is_refused() {
        String good = token(json(goodClaims()));
        String standardAlphabet = good.substring(0, good.lastIndexOf('.') + 1) + "ab+/cd";

        refused(standardAlphabet);
    }

    // ---- shape ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "...", "abc", "a.b", "a.b.c.d", "a..c", ".b.c", "a.b."})
    void a_token_without_exactly_three_non_empty_segments_is_refused(String token) {
        refused(token);
    }

    @Test
    void a_good_token_with_a_fourth_segment_is_refused() {
        refused(token(json(goodClaims())) + ".extra");
    }

    @Test
    void a_good_token_as_two_segments_is_refused() {
        String good = token(json(goodClaims()));

        refused(good.substring(0, good.lastIndexOf('.')));
    }

    @Test
    void a_payload_with_base64_padding_is_refused_even_when_signed() throws Exception {
        String padded = paddedBase64(json(goodClaims()));
        assertTrue(padded.endsWith("="), "the test payload must need padding: " + padded);
        String input = b64(HS256_HEADER) + "." + padded;
        String token = input + "." + B64.encodeToString(hmac("HmacSHA256", SECRET, input));
        String unpaddedInput = b64(HS256_HEADER) + "." + padded.replace("=", "");
        jwt.verify(unpaddedInput + "." + B64.encodeToString(hmac("HmacSHA256", SECRET, unpaddedInput)));

        assertMentions(refused(token), "base64url");
    }

    @Test
    void a_header_with_base64_padding_is_refused_even_when_signed() throws Exception {
        String padded = paddedBase64(HS256_HEADER);
        assertTrue(padded.endsWith("="), "the test header must need padding: " + padded);
        String input = padded + "." + b64(json(goodClaims()));
        String token = input + "." + B64.encodeToString(hmac("HmacSHA256", SECRET, input));
        String unpaddedInput = padded.replace("=", "") + "." + b64(json(goodClaims()));
        jwt.verify(unpaddedInput + "." + B64.encodeToString(hmac("HmacSHA256", SECRET, unpaddedInput)));

        assertMentions(refused(token), "base64url");
    }

    @Test
    void a_signature_with_base64_padding_is_refused() {
        String good = token(json(goodClaims()));
        String[] parts = good.split("\\.");
        String padded = Base64.getUrlEncoder().encodeToString(Base64.getUrlDecoder().decode(parts[2]));
        assertTrue(padded.endsWith("="), padded);

        assertMentions(refused(parts[0] + "." + parts[1] + "." + padded), "base64url");
    }

    @Test
    void a_header_that_is_not_json_is_refused() {
        assertMentions(refused(token("alg=HS256", json(goodClaims()))), "JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"HS256\"]", "\"HS256\"", "null", "42"})
    void a_header_that_is_not_a_json_object_is_refused(String header) {
        assertMentions(refused(token(header, json(goodClaims()))), "JSON");
    }

    @Test
    void a_header_that_is_not_base64url_is_refused() {
        String good = token(json(goodClaims()));
        refused("*" + good.substring(1));
    }

    @Test
    void a_payload_that_is_not_json_is_refused_even_when_signed() {
        assertMentions(refused(token("sub=acct;aud=ai.hg.fi/internal")), "JSON");
    }

    @Test
    void a_payload_that_is_not_a_json_object_is_refused_even_when_signed() {
        assertMentions(refused(token("[" + json(goodClaims()) + "]")), "JSON");
    }

    @Test
    void a_payload_repeating_a_claim_is_refused_even_when_signed() {
        // a parser that keeps the last value would read another subject than one that keeps the first
        String duplicate = json(goodClaims()).replace("{", "{\"sub\":\"someone-else\",");

        refused(token(duplicate));
    }

    @Test
    void a_token_over_8192_characters_is_refused_even_when_signed() {
        String token = with("pad", "\"" + "x".repeat(7000) + "\"");
        assertTrue(token.length() > Hs256Jwt.MAX_TOKEN_LENGTH, "length " + token.length());

        assertMentions(refused(token), "too long");
    }

    @Test
    void a_signed_token_of_at_most_8192_characters_is_accepted() throws Exception {
        String token = null;
        for (int n = 5900; n < 6300; n++) {
            String candidate = with("pad", "\"" + "x".repeat(n) + "\"");
            if (candidate.length() <= Hs256Jwt.MAX_TOKEN_LENGTH) {
                token = candidate;
            }
        }
        assertTrue(token != null && token.length() > Hs256Jwt.MAX_TOKEN_LENGTH - 4, "no token close to the limit");

        jwt.verify(token);
    }

    @Test
    void refusal_messages_never_contain_the_token_or_the_secret() {
        String forged = token("{\"alg\":\"RS256\"}", json(goodClaims()));
        String expired = with("exp", String.valueOf(NOW_S - 1));

        for (String token : List.of(forged, expired, forged + ".x", without("sub"))) {
            String message = refused(token).getMessage();
            assertTrue(!message.contains(token.substring(0, 20)), message);
            assertTrue(!message.contains(new String(SECRET, StandardCharsets.UTF_8)), message);
        }
    }

    @Test
    void a_signature_spelled_with_other_unused_low_bits_is_refused() throws Exception {
        String token = token(json(goodClaims()));
        jwt.verify(token);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = token.charAt(token.length() - 1);
        int value = alphabet.indexOf(last);
        int spellings = 0;
        // a 32-byte signature leaves the two low bits of its 43rd character unused
        for (int low = 1; low < 4; low++) {
            String other = token.substring(0, token.length() - 1) + alphabet.charAt((value & ~3) | ((value + low) & 3));
            assertTrue(java.util.Arrays.equals(Base64.getUrlDecoder().decode(other.substring(other.lastIndexOf('.') + 1)),
                    Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1))), "the same bytes");
            assertMentions(refused(other), "not canonical");
            spellings++;
        }
        assertEquals(3, spellings);
    }

    // ---- kept claims: the cache of verified tokens never changes an answer -----------------------

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void a_verified_token_verifies_again_to_the_same_claims() throws Exception {
        String token = with("nbf", String.valueOf(NOW_S - 60));

        Hs256Jwt.Claims first = jwt.verify(token);
        Hs256Jwt.Claims again = jwt.verify(token);

        assertEquals(first, again);
        assertEquals(1, jwt.cachedTokens());
    }

    @Test
    void a_kept_token_is_refused_once_it_expires() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        Hs256Jwt verifier = new Hs256Jwt(SigningSecret.ofBytes(SECRET), clock);
        String token = with("exp", String.valueOf(NOW_S + 60));
        verifier.verify(token);
        verifier.verify(token);
        assertEquals(1, verifier.cachedTokens());

        clock.set(NOW.plusSeconds(59));
        verifier.verify(token);
        clock.set(NOW.plusSeconds(60));
        assertMentions(assertThrows(Hs256Jwt.InvalidToken.class, () -> verifier.verify(token)), "expired");
        clock.set(NOW.plusSeconds(86_400));
        assertMentions(assertThrows(Hs256Jwt.InvalidToken.class, () -> verifier.verify(token)), "expired");
    }

    @Test
    void the_leeway_rules_are_applied_to_a_kept_token_on_every_request() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        Hs256Jwt verifier = new Hs256Jwt(SigningSecret.ofBytes(SECRET), clock);
        Map<String, String> claims = goodClaims();
        claims.put("iat", String.valueOf(NOW_S + 20));
        claims.put("nbf", String.valueOf(NOW_S + 25));
        String token = token(json(claims));
        verifier.verify(token);
        assertEquals(1, verifier.cachedTokens());

        // a clock set back: iat and nbf now lie more than the leeway in the future
        clock.set(NOW.minusSeconds(20));
        assertMentions(assertThrows(Hs256Jwt.InvalidToken.class, () -> verifier.verify(token)), "future");
        Map<String, String> onlyNbf = goodClaims();
        onlyNbf.put("nbf", String.valueOf(NOW_S + 25));
        String notYet = token(json(onlyNbf));
        clock.set(NOW);
        verifier.verify(notYet);
        clock.set(NOW.minusSeconds(20));
        assertMentions(assertThrows(Hs256Jwt.InvalidToken.class, () -> verifier.verify(notYet)), "not valid yet");
        clock.set(NOW);
        verifier.verify(token);
        verifier.verify(notYet);
    }

    @Test
    void a_token_refused_for_time_is_not_kept_and_is_judged_afresh() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        Hs256Jwt verifier = new Hs256Jwt(SigningSecret.ofBytes(SECRET), clock);
        String token = with("nbf", String.valueOf(NOW_S + 100));

        assertMentions(assertThrows(Hs256Jwt.InvalidToken.class, () -> verifier.verify(token)), "not valid yet");
        assertEquals(0, verifier.cachedTokens());
        clock.set(NOW.plusSeconds(70));
        verifier.verify(token);
        assertEquals(1, verifier.cachedTokens());
    }

    @Test
    void a_verified_token_respelled_with_other_unused_signature_bits_is_still_refused() throws Exception {
        String token = token(json(goodClaims()));
        jwt.verify(token);
        jwt.verify(token);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int value = alphabet.indexOf(token.charAt(token.length() - 1));
        for (int low = 1; low < 4; low++) {
            String other = token.substring(0, token.length() - 1) + alphabet.charAt((value & ~3) | ((value + low) & 3));

            assertMentions(refused(other), "not canonical");
            assertMentions(refused(other), "not canonical");
        }
        assertEquals(1, jwt.cachedTokens());
    }

    @Test
    void a_verified_token_with_any_one_character_changed_is_refused() throws Exception {
        String token = with("nbf", String.valueOf(NOW_S - 60));
        jwt.verify(token);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int tried = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                continue;
            }
            // the neighbouring letter of the alphabet: a change in header, payload or signature
            char changed = alphabet.charAt((alphabet.indexOf(c) + 1) % alphabet.length());
            String altered = token.substring(0, i) + changed + token.substring(i + 1);
            refused(altered);
            tried++;
        }
        assertTrue(tried > 200, "tried " + tried);
        assertEquals(1, jwt.cachedTokens(), "only the verified token is kept");
        jwt.verify(token);
    }

    @Test
    void a_verified_token_with_one_bit_of_its_signature_flipped_is_refused() throws Exception {
        String token = token(json(goodClaims()));
        jwt.verify(token);
        String[] parts = token.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        for (int bit = 0; bit < signature.length * 8; bit++) {
            byte[] flipped = signature.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));

            assertMentions(refused(parts[0] + "." + parts[1] + "." + B64.encodeToString(flipped)), "signature");
        }
        jwt.verify(token);
    }

    @Test
    void a_verified_payload_under_another_header_is_refused() throws Exception {
        String token = token(json(goodClaims()));
        jwt.verify(token);
        String[] parts = token.split("\\.");

        assertMentions(refused(b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"x\"}") + "." + parts[1] + "." + parts[2]),
                "signature");
        assertMentions(refused(b64("{\"alg\":\"none\"}") + "." + parts[1] + "." + parts[2]), "algorithm");
    }

    @Test
    void a_refused_token_stays_refused_and_is_never_kept() {
        String badAlg = token("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", json(goodClaims()));
        String critical = token("{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}", json(goodClaims()));
        String noSubject = without("sub");
        String expired = with("exp", String.valueOf(NOW_S - 1));
        String badNbf = with("nbf", "\"soon\"");

        for (int round = 0; round < 3; round++) {
            assertMentions(refused(badAlg), "algorithm");
            assertMentions(refused(critical), "critical");
            assertMentions(refused(noSubject), "sub");
            assertMentions(refused(expired), "expired");
            assertMentions(refused(badNbf), "nbf");
        }
        assertEquals(0, jwt.cachedTokens());
    }

    @Test
    void a_token_kept_by_one_verifier_is_refused_by_one_with_another_secret() throws Exception {
        String token = token(json(goodClaims()));
        jwt.verify(token);
        Hs256Jwt other = new Hs256Jwt(SigningSecret.parse("another-secret-that-is-32-bytes-or-more"), Clock.fixed(NOW, ZoneOffset.UTC));

        assertMentions(assertThrows(Hs256Jwt.InvalidToken.class, () -> other.verify(token)), "signature");
    }

    @Test
    void tokens_beyond_the_bound_all_verify_and_the_kept_claims_stay_bounded() throws Exception {
        int count = Hs256Jwt.CACHE_LIMIT + 500;
        List<String> tokens = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tokens.add(jwt.sign("acct-" + i, "ai.hg.fi/api", "usage:read", NOW.minusSeconds(5), NOW.plusSeconds(600)));
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < count; i++) {
                assertEquals("acct-" + i, jwt.verify(tokens.get(i)).subject());
                assertTrue(jwt.cachedTokens() <= Hs256Jwt.CACHE_LIMIT, "kept " + jwt.cachedTokens());
            }
        }
    }

    @Test
    void with_a_small_bound_every_token_still_gets_its_own_claims() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        Hs256Jwt small = new Hs256Jwt(SigningSecret.ofBytes(SECRET), clock, 3);
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tokens.add(small.sign("acct-" + i, "ai.hg.fi/api", "scope:" + i, NOW, NOW.plusSeconds(60 + i)));
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < tokens.size(); i++) {
                Hs256Jwt.Claims claims = small.verify(tokens.get(i));
                assertEquals("acct-" + i, claims.subject());
                assertEquals("scope:" + i, claims.scope());
                assertEquals(NOW.plusSeconds(60 + i), claims.expiresAt());
                assertTrue(small.cachedTokens() <= 3, "kept " + small.cachedTokens());
            }
        }
        clock.set(NOW.plusSeconds(65));
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (i <= 5) {
                assertMentions(assertThrows(Hs256Jwt.InvalidToken.class, () -> small.verify(token)), "expired");
            } else {
                small.verify(token);
            }
        }
    }
}

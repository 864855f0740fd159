package fi.hg.bus.domain.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigningSecretTest {

    /** 32 bytes whose standard base64 holds '+' and '/', and whose URL-safe form holds '-' and '_'. */
    private static final byte[] BYTES = bytes32();

    private static byte[] bytes32() {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (0xF8 + i * 37);
        }
        b[0] = (byte) 0xFB;
        b[1] = (byte) 0xEF;
        b[2] = (byte) 0xFF;
        return b;
    }

    @Test
    void the_test_bytes_need_both_alphabets() {
        String standard = Base64.getEncoder().encodeToString(BYTES);
        String urlSafe = Base64.getUrlEncoder().encodeToString(BYTES);
        assertTrue(standard.contains("+") || standard.contains("/"), standard);
        assertTrue(urlSafe.contains("-") || urlSafe.contains("_"), urlSafe);
    }

    @Test
    void a_plain_value_is_its_utf8_bytes() {
        String text = "a-plain-secret-of-at-least-32-bytes!";

        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), SigningSecret.parse(text).bytes());
    }

    @Test
    void a_plain_value_that_looks_like_base64_is_still_raw_text() {
        String looksLikeBase64 = Base64.getEncoder().encodeToString("x".repeat(48).getBytes(StandardCharsets.US_ASCII));

        SigningSecret secret = SigningSecret.parse(looksLikeBase64);

        assertArrayEquals(looksLikeBase64.getBytes(StandardCharsets.US_ASCII), secret.bytes());
        assertEquals(64, secret.bytes().length);
    }

    @Test
    void a_base64_prefixed_value_is_decoded_from_standard_base64() {
        String value = "base64:" + Base64.getEncoder().encodeToString(BYTES);

        assertArrayEquals(BYTES, SigningSecret.parse(value).bytes());
    }

    @Test
    void a_base64_prefixed_value_is_decoded_from_url_safe_base64() {
        String value = "base64:" + Base64.getUrlEncoder().encodeToString(BYTES);

        assertArrayEquals(BYTES, SigningSecret.parse(value).bytes());
    }

    @Test
    void a_base64_value_without_padding_is_decoded_in_both_alphabets() {
        assertArrayEquals(BYTES, SigningSecret.parse("base64:" + Base64.getEncoder().withoutPadding().encodeToString(BYTES)).bytes());
        assertArrayEquals(BYTES, SigningSecret.parse("base64:" + Base64.getUrlEncoder().withoutPadding().encodeToString(BYTES)).bytes());
    }

    @Test
    void surrounding_blanks_after_the_prefix_are_ignored() {
        String value = "base64: " + Base64.getEncoder().encodeToString(BYTES) + " ";

        assertArrayEquals(BYTES, SigningSecret.parse(value).bytes());
    }

    @Test
    void thirty_two_bytes_are_enough() {
        assertEquals(32, SigningSecret.parse("s".repeat(32)).bytes().length);
        assertEquals(32, SigningSecret.ofBytes(new byte[32]).bytes().length);
    }

    @Test
    void fewer_than_thirty_two_bytes_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> SigningSecret.parse("s".repeat(31)));
        assertThrows(IllegalArgumentException.class, () -> SigningSecret.parse(""));
        assertThrows(IllegalArgumentException.class, () -> SigningSecret.ofBytes(new byte[31]));
    }

    @Test
    void fewer_than_thirty_two_decoded_bytes_are_refused_even_when_the_text_is_longer() {
        String value = "base64:" + Base64.getEncoder().encodeToString(new byte[31]);
        assertTrue(value.length() > 32);

        assertThrows(IllegalArgumentException.class, () -> SigningSecret.parse(value));
    }

    @Test
    void the_length_is_counted_in_bytes_not_characters() {
        assertEquals(32, SigningSecret.parse("ä".repeat(16)).bytes().length);
        assertThrows(IllegalArgumentException.class, () -> SigningSecret.parse("ä".repeat(15) + "a"));
    }

    @Test
    void an_empty_base64_value_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> SigningSecret.parse("base64:"));
    }

    @Test
    void invalid_base64_is_refused_without_showing_the_value() {
        String invalid = "base64:not*valid*base64*at*all*but*long*enough*to*pass";

        var e = assertThrows(IllegalArgumentException.class, () -> SigningSecret.parse(invalid));
        assertFalse(e.getMessage().contains("not*valid"), e.getMessage());
    }

    @Test
    void mixing_the_two_base64_alphabets_is_refused() {
        String mixed = "AAAA+AAA-AAA/AAA_AAA".repeat(3) + "AAAA";

        assertThrows(IllegalArgumentException.class, () -> SigningSecret.parse("base64:" + mixed));
    }

    @Test
    void a_too_short_secret_is_refused_without_showing_it() {
        var e = assertThrows(IllegalArgumentException.class, () -> SigningSecret.parse("tiny-secret-x"));

        assertFalse(e.getMessage().contains("tiny-secret-x"), e.getMessage());
    }

    @Test
    void to_string_never_shows_the_secret() {
        String raw = "correct-horse-battery-staple-0123456789";
        SigningSecret secret = SigningSecret.parse(raw);

        String shown = secret.toString();

        assertFalse(shown.contains(raw), shown);
        assertFalse(shown.contains("correct-horse"), shown);
        assertFalse(shown.contains(Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8))), shown);
        assertFalse(shown.contains(Base64.getEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8)).substring(0, 12)), shown);
    }

    @Test
    void to_string_of_a_decoded_secret_shows_neither_form() {
        String encoded = Base64.getEncoder().encodeToString(BYTES);
        SigningSecret secret = SigningSecret.parse("base64:" + encoded);

        String shown = secret.toString();

        assertFalse(shown.contains(encoded.substring(0, 12)), shown);
        assertFalse(shown.contains(Base64.getUrlEncoder().encodeToString(BYTES).substring(0, 12)), shown);
    }

    @Test
    void the_encoded_form_reads_back_to_the_same_secret() {
        SigningSecret secret = SigningSecret.ofBytes(BYTES);

        String encoded = secret.encoded();

        assertTrue(encoded.startsWith("base64:"), "encoded form starts with base64:");
        assertEquals(secret, SigningSecret.parse(encoded));
        assertArrayEquals(BYTES, SigningSecret.parse(encoded).bytes());
    }

    @Test
    void the_bytes_cannot_be_changed_from_outside() {
        byte[] given = BYTES.clone();
        SigningSecret secret = SigningSecret.ofBytes(given);

        given[0] ^= 1;
        byte[] taken = secret.bytes();
        taken[1] ^= 1;

        assertArrayEquals(BYTES, secret.bytes());
    }

    @Test
    void secrets_are_equal_by_their_bytes() {
        byte[] other = Arrays.copyOf(BYTES, BYTES.length);
        other[31] ^= 1;

        assertEquals(SigningSecret.ofBytes(BYTES), SigningSecret.ofBytes(BYTES.clone()));
        assertEquals(SigningSecret.ofBytes(BYTES).hashCode(), SigningSecret.ofBytes(BYTES.clone()).hashCode());
        assertNotEquals(SigningSecret.ofBytes(BYTES), SigningSecret.ofBytes(other));
    }
}

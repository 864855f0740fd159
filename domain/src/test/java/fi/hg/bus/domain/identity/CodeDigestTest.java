package fi.hg.bus.domain.identity;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodeDigestTest {

    private static final byte[] KEY = "a-code-digest-key-of-at-least-32-bytes!".getBytes(StandardCharsets.US_ASCII);

    private static byte[] jdkHmac(byte[] key, byte[] message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message);
    }

    @Test
    void the_digest_is_hmac_sha256_as_the_jdk_computes_it() throws Exception {
        UUID id = UUID.fromString("6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
        String expected = HexFormat.of().formatHex(jdkHmac(KEY, (id + ":123456").getBytes(StandardCharsets.US_ASCII)));
        assertEquals(expected, new CodeDigest(KEY).of(id, "123456"));
        byte[] longKey = new byte[100];
        assertEquals(HexFormat.of().formatHex(jdkHmac(longKey, "x".getBytes(StandardCharsets.US_ASCII))),
                HexFormat.of().formatHex(new CodeDigest(longKey).mac("x".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void the_same_digits_of_another_code_row_give_another_digest() {
        CodeDigest digest = new CodeDigest(KEY);
        assertNotEquals(digest.of(UUID.randomUUID(), "123456"), digest.of(UUID.randomUUID(), "123456"));
    }

    @Test
    void the_key_derived_from_the_secret_is_not_the_secret() throws Exception {
        UUID id = UUID.randomUUID();
        CodeDigest derived = CodeDigest.fromSecret(KEY);
        assertNotEquals(new CodeDigest(KEY).of(id, "123456"), derived.of(id, "123456"));
        assertEquals(derived.of(id, "123456"), CodeDigest.fromSecret(KEY.clone()).of(id, "123456"));
        assertThrows(IllegalArgumentException.class, () -> new CodeDigest(new byte[31]));
    }

    @Test
    void a_token_digest_is_its_sha256_and_digests_compare_equal_only_when_equal() {
        String digest = CodeDigest.ofToken("a.b.c");
        assertTrue(digest.matches("[0-9a-f]{64}"));
        assertFalse(digest.contains("a.b.c"));
        assertTrue(CodeDigest.sameDigest(digest, CodeDigest.ofToken("a.b.c")));
        assertFalse(CodeDigest.sameDigest(digest, CodeDigest.ofToken("a.b.d")));
        assertFalse(CodeDigest.sameDigest(digest, null));
    }
}

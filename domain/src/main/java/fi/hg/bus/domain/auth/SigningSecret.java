package fi.hg.bus.domain.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The shared HS256 secret. A configured value is raw text even when it looks like base64; only a
 * value written {@code base64:<value>} is decoded. Fewer than 32 bytes is refused.
 */
public final class SigningSecret {

    public static final int MIN_BYTES = 32;
    private static final String BASE64_PREFIX = "base64:";

    private final byte[] bytes;

    private SigningSecret(byte[] bytes) {
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException(
                    "the HS256 secret must be at least " + MIN_BYTES + " bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    /** Reads a configured value: raw text, or {@code base64:} followed by standard or URL-safe base64. */
    public static SigningSecret parse(String configured) {
        if (configured.startsWith(BASE64_PREFIX)) {
            String encoded = configured.substring(BASE64_PREFIX.length()).strip();
            byte[] decoded;
            try {
                decoded = decode(encoded);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the HS256 secret after base64: is not valid base64");
            }
            return new SigningSecret(decoded);
        }
        return new SigningSecret(configured.getBytes(StandardCharsets.UTF_8));
    }

    public static SigningSecret ofBytes(byte[] bytes) {
        return new SigningSecret(bytes);
    }

    private static byte[] decode(String encoded) {
        if (encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0) {
            return Base64.getUrlDecoder().decode(encoded);
        }
        return Base64.getDecoder().decode(encoded);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The value in the form {@link #parse} reads back. */
    public String encoded() {
        return BASE64_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningSecret other && java.security.MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SigningSecret[" + bytes.length + " bytes]";
    }
}

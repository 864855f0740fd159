package fi.hg.bus.domain.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * How one-time codes and session tokens are kept: never as they are, only as digests.
 * <p>
 * A code has only a million values, so a plain hash of it could be reversed by trying them all.
 * Codes are therefore digested with HMAC-SHA256 (RFC 2104) under a key that lives outside the
 * database (derived from the server's signing secret), over the code's own id and the digits: a
 * copy of the table alone does not give the codes away. HMAC is written out here over
 * {@link MessageDigest} because the domain uses the JDK's {@code java.*} packages only.
 */
public final class CodeDigest {

    private static final int BLOCK = 64;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] key;

    /** @param key at least 32 bytes */
    public CodeDigest(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < 32) {
            throw new IllegalArgumentException("the code digest key must be at least 32 bytes");
        }
        this.key = key.length > BLOCK ? sha256(key) : key.clone();
    }

    /** A key for code digests derived from the server's signing secret, distinct from the secret itself. */
    public static CodeDigest fromSecret(byte[] signingSecret) {
        byte[] label = "bus one-time code digests v1".getBytes(StandardCharsets.US_ASCII);
        return new CodeDigest(new CodeDigest(pad(signingSecret)).mac(label));
    }

    /** The digest of {@code code} for the code row {@code codeId}, as 64 hexadecimal characters. */
    public String of(UUID codeId, String code) {
        return HEX.formatHex(mac((codeId + ":" + code).getBytes(StandardCharsets.US_ASCII)));
    }

    /** The SHA-256 of a session token, as 64 hexadecimal characters: how a revoked token is remembered. */
    public static String ofToken(String token) {
        return HEX.formatHex(sha256(token.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Compares two digests in time that does not depend on where they differ. */
    public static boolean sameDigest(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** HMAC-SHA256(key, message). */
    byte[] mac(byte[] message) {
        byte[] k = new byte[BLOCK];
        System.arraycopy(key, 0, k, 0, key.length);
        byte[] inner = new byte[BLOCK];
        byte[] outer = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            inner[i] = (byte) (k[i] ^ 0x36);
            outer[i] = (byte) (k[i] ^ 0x5c);
        }
        MessageDigest sha = sha256Digest();
        sha.update(inner);
        sha.update(message);
        byte[] innerHash = sha.digest();
        sha.update(outer);
        sha.update(innerHash);
        return sha.digest();
    }

    private static byte[] pad(byte[] secret) {
        return secret.length >= 32 ? secret : sha256(secret);
    }

    private static byte[] sha256(byte[] bytes) {
        return sha256Digest().digest(bytes);
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}

package fi.hg.bus.bench;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** HS256 tokens (internal and end-user audiences), signed here with the secret the server is given. */
final class Tokens {

    private Tokens() {
    }

    static String internal(byte[] secret, String subject, String scope, Duration ttl) {
        return sign(secret, subject, "ai.hg.fi/internal", scope, ttl);
    }

    /** An end-user token (audience ai.hg.fi/api) of account {@code subject}. */
    static String endUser(byte[] secret, String subject, String scope, Duration ttl) {
        return sign(secret, subject, "ai.hg.fi/api", scope, ttl);
    }

    private static String sign(byte[] secret, String subject, String audience, String scope, Duration ttl) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));
        String claims = b64.encodeToString(("{\"sub\":\"" + subject + "\",\"aud\":\"" + audience + "\",\"scope\":\""
                + scope + "\",\"iat\":" + now + ",\"exp\":" + (now + ttl.toSeconds()) + "}")
                .getBytes(StandardCharsets.UTF_8));
        String input = header + "." + claims;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

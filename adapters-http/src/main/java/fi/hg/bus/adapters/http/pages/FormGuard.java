package fi.hg.bus.adapters.http.pages;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Protects the local provider's forms against cross-site posts. Each page view gets a token
 * {@code <form id>.<mac>}, where the mac is an HMAC of the session and the form id under a key
 * derived from the server's secret. The token goes in a hidden field and in a {@code SameSite=Strict},
 * {@code HttpOnly} cookie scoped to the session's path; a post is taken only when both are present,
 * equal and genuine for this session (and, in the page service, its {@code Origin} is ours).
 */
final class FormGuard {

    private static final Pattern TOKEN = Pattern.compile("([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] key;
    private final SecureRandom random = new SecureRandom();

    FormGuard(byte[] key) {
        this.key = key.clone();
    }

    /** A fresh token for a page of {@code sessionId}. */
    String issue(String sessionId) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String formId = B64.encodeToString(nonce);
        return formId + "." + mac(sessionId, formId);
    }

    /**
     * The form id when {@code field} and {@code cookie} are the same genuine token of
     * {@code sessionId}; empty otherwise.
     */
    Optional<String> check(String sessionId, String field, String cookie) {
        if (field == null || cookie == null) {
            return Optional.empty();
        }
        var m = TOKEN.matcher(field);
        if (!m.matches()) {
            return Optional.empty();
        }
        boolean same = MessageDigest.isEqual(field.getBytes(StandardCharsets.US_ASCII), cookie.getBytes(StandardCharsets.US_ASCII));
        boolean genuine = MessageDigest.isEqual(m.group(2).getBytes(StandardCharsets.US_ASCII),
                mac(sessionId, m.group(1)).getBytes(StandardCharsets.US_ASCII));
        return same && genuine ? Optional.of(m.group(1)) : Optional.empty();
    }

    private String mac(String sessionId, String formId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return B64.encodeToString(mac.doFinal(("bus local form v1\n" + sessionId + "\n" + formId)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

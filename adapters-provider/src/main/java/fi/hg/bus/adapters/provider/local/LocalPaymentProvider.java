package fi.hg.bus.adapters.provider.local;

import fi.hg.bus.application.billing.PaymentProvider;
import fi.hg.bus.application.local.LocalSession;
import fi.hg.bus.application.local.LocalSessions;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The local provider: no network, no money. Its checkout and portal are pages of this server
 * ({@code /billing/local/…}); a session id is an HMAC of the account, kind, feature, plan and return
 * URL under a key derived from the server's secret, so the same request gives the same URL and no
 * one without the secret can make one. A session lives for {@link #LIFETIME} after it was last opened.
 */
public final class LocalPaymentProvider implements PaymentProvider {

    public static final String NAME = "local";
    public static final Duration LIFETIME = Duration.ofHours(24);
    public static final String CHECKOUT_PATH = "/billing/local/checkout/";
    public static final String PORTAL_PATH = "/billing/local/portal/";

    private final LocalSessions sessions;
    private final byte[] key;
    private final Supplier<URI> publicUrl;
    private final Clock clock;

    /**
     * @param key       the key of the session ids (derived from the server's secret)
     * @param publicUrl the server's public URL, e.g. {@code https://bus.example.com}; asked at each use
     */
    public LocalPaymentProvider(LocalSessions sessions, byte[] key, Supplier<URI> publicUrl, Clock clock) {
        this.sessions = sessions;
        this.key = key.clone();
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean sellsWithoutPlan() {
        return false;
    }

    @Override
    public URI openCheckout(CheckoutRequest request) {
        String planId = request.plan() == null ? null : request.plan().id();
        String returnUrl = request.returnUrl() == null ? null : request.returnUrl().toString();
        String id = sessionId(LocalSession.Kind.CHECKOUT, request.accountId(), request.feature(), planId, returnUrl);
        Instant now = clock.instant();
        sessions.save(new LocalSession(id, LocalSession.Kind.CHECKOUT, request.accountId(), request.feature(), planId,
                request.returnUrl(), now, now.plus(LIFETIME)));
        return url(CHECKOUT_PATH + id);
    }

    @Override
    public Optional<URI> openPortal(PortalRequest request) {
        String returnUrl = request.returnUrl() == null ? null : request.returnUrl().toString();
        String id = sessionId(LocalSession.Kind.PORTAL, request.accountId(), null, null, returnUrl);
        Instant now = clock.instant();
        sessions.save(new LocalSession(id, LocalSession.Kind.PORTAL, request.accountId(), null, null,
                request.returnUrl(), now, now.plus(LIFETIME)));
        return Optional.of(url(PORTAL_PATH + id));
    }

    private URI url(String path) {
        String base = publicUrl.get().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path);
    }

    /** 43 characters of base64url: 256 bits of HMAC-SHA256 over the inputs, each on its own line. */
    String sessionId(LocalSession.Kind kind, UUID accountId, String feature, String planId, String returnUrl) {
        String input = String.join("\n", "bus local billing session v1", kind.wireName(), accountId.toString(),
                nullable(feature), nullable(planId), nullable(returnUrl));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** A null is written as a character no value can hold, so that null and "" differ. */
    private static String nullable(String s) {
        return s == null ? "\u0000" : "=" + s;
    }
}

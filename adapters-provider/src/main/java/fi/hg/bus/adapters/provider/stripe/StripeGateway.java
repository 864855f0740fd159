package fi.hg.bus.adapters.provider.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import fi.hg.bus.application.billing.ProviderFailure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** One configured Stripe client, the options of each request, and Stripe's errors said plainly. */
public final class StripeGateway {

    private static final Pattern SECRETS = Pattern.compile("(sk|rk|pk)_(test|live)_[A-Za-z0-9*_]+|whsec_[A-Za-z0-9]+");

    private final StripeSettings settings;
    private final StripeClient client;

    public StripeGateway(StripeSettings settings) {
        this.settings = settings;
        int millis = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        StripeClient.StripeClientBuilder builder = StripeClient.builder()
                .setApiKey(settings.secretKey())
                .setConnectTimeout(millis)
                .setReadTimeout(millis)
                .setMaxNetworkRetries(1);
        if (settings.apiBase() != null) {
            builder.setApiBase(settings.apiBase());
        }
        this.client = builder.build();
    }

    public StripeSettings settings() {
        return settings;
    }

    public StripeClient client() {
        return client;
    }

    /** Options of one request: its idempotency key (null for reads) and the configured API version. */
    public RequestOptions options(String idempotencyKey) {
        RequestOptions.RequestOptionsBuilder b = RequestOptions.builder();
        if (idempotencyKey != null) {
            b.setIdempotencyKey(idempotencyKey);
        }
        if (settings.apiVersion() != null) {
            RequestOptions.RequestOptionsBuilder.unsafeSetStripeVersionOverride(b, settings.apiVersion());
        }
        return b.build();
    }

    /** A short key made of {@code prefix} and a hash of the parts, for Stripe's Idempotency-Key header. */
    public static String key(String prefix, String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                sha.update((p == null ? "\u0000" : p).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return prefix + HexFormat.of().formatHex(sha.digest(), 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stripe's failure as a {@link ProviderFailure}: unavailable (try again) or refused, with no secret in it. */
    public static ProviderFailure failure(String doing, StripeException e) {
        String detail = describe(e);
        if (e instanceof ApiConnectionException) {
            return ProviderFailure.unavailable("Stripe could not be reached or did not answer in time while " + doing
                    + "; nothing was changed, try again", e);
        }
        if (e instanceof RateLimitException || e instanceof ApiException
                || (e.getStatusCode() != null && e.getStatusCode() >= 500)) {
            return ProviderFailure.unavailable("Stripe is failing or overloaded while " + doing + " (" + detail
                    + "); try again", e);
        }
        if (e instanceof AuthenticationException) {
            return ProviderFailure.refused("Stripe refused the API key while " + doing
                    + " (check BUS_STRIPE_SECRET_KEY)", e);
        }
        if (e instanceof PermissionException) {
            return ProviderFailure.refused("the Stripe API key may not do this while " + doing + " (" + detail + ")", e);
        }
        if (e instanceof InvalidRequestException || e instanceof IdempotencyException) {
            return ProviderFailure.refused("Stripe refused the request while " + doing + ": " + detail, e);
        }
        return ProviderFailure.refused("Stripe failed while " + doing + ": " + detail, e);
    }

    /** Stripe's message, code and parameter, without anything that looks like a key. */
    public static String describe(StripeException e) {
        StringBuilder b = new StringBuilder();
        String message = e.getStripeError() != null && e.getStripeError().getMessage() != null
                ? e.getStripeError().getMessage() : e.getMessage();
        b.append(message == null ? e.getClass().getSimpleName() : message);
        if (e.getCode() != null) {
            b.append(" [").append(e.getCode()).append(']');
        }
        if (e.getStatusCode() != null && e.getStatusCode() > 0) {
            b.append(" (HTTP ").append(e.getStatusCode()).append(')');
        }
        String text = SECRETS.matcher(b.toString()).replaceAll("[redacted]");
        text = text.replaceAll("\\s*;\\s*request-id: \\S+", "").replaceAll("[\\p{Cntrl}]", " ");
        return text.length() > 500 ? text.substring(0, 499) + "…" : text;
    }
}

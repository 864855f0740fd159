package fi.hg.bus.adapters.provider.stripe;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach Stripe.
 *
 * @param apiVersion     the {@code Stripe-Version} to send, or null for the library's own
 * @param apiBase        another API host (a local Stripe-compatible server), or null for Stripe's
 * @param defaultPriceId the price of a checkout whose plan maps to none, or null
 * @param timeout        for connecting and for each answer
 */
public record StripeSettings(String secretKey, String webhookSecret, String apiVersion, String apiBase,
                             String defaultPriceId, Duration timeout) {

    private static final Pattern SECRET_KEY = Pattern.compile("(sk|rk)_(test|live)_[A-Za-z0-9_]+");

    public StripeSettings {
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(timeout, "timeout");
        keyProblem(secretKey).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
    }

    /** What is wrong with a secret key, said without the key. */
    public static Optional<String> keyProblem(String key) {
        String k = key == null ? "" : key.strip();
        if (k.isEmpty()) {
            return Optional.of("the Stripe secret key is empty");
        }
        if (k.startsWith("pk_")) {
            return Optional.of("a publishable key (pk_…) was given where the secret key (sk_test_… or sk_live_…) is needed; "
                    + "publishable keys are for browsers and cannot call the API");
        }
        if (k.startsWith("whsec_")) {
            return Optional.of("a webhook signing secret (whsec_…) was given where the secret key (sk_test_… or sk_live_…) is needed");
        }
        if (!SECRET_KEY.matcher(k).matches()) {
            return Optional.of("the Stripe secret key must look like sk_test_…, sk_live_… (or a restricted rk_test_…/rk_live_… key)");
        }
        return Optional.empty();
    }

    /** Whether the key is a live-mode key. */
    public boolean live() {
        return secretKey.contains("_live_");
    }

    /** The key's kind for messages, e.g. {@code sk_test}: never the key itself. */
    public static String kind(String key) {
        String k = key.strip();
        int second = k.indexOf('_', k.indexOf('_') + 1);
        return second > 0 ? k.substring(0, second) : "unknown";
    }
}

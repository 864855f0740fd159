package fi.hg.bus.app.config;

import fi.hg.bus.adapters.provider.stripe.StripeSettings;
import fi.hg.bus.domain.export.RetryPolicy;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The payment provider and the usage export, read once from the environment.
 *
 * @param publicUrl where browsers reach this server; empty: the serve address
 * @param stripe    present exactly when the backend is {@link Backend#STRIPE}
 */
public record ProviderConfig(Backend backend, Optional<URI> publicUrl, Optional<StripeSettings> stripe,
                             RetryPolicy exportRetry) {

    public enum Backend { LOCAL, STRIPE }

    public static ProviderConfig read(Env env) {
        String name = env.get("BUS_BILLING_PROVIDER_BACKEND").map(s -> s.strip().toLowerCase(Locale.ROOT)).orElse("local");
        Backend backend = switch (name) {
            case "local" -> Backend.LOCAL;
            case "stripe", "events" -> Backend.STRIPE;
            default -> throw new ConfigException("BUS_BILLING_PROVIDER_BACKEND must be local or stripe (events is read as stripe)");
        };
        Optional<URI> publicUrl = env.get("BUS_PUBLIC_URL").map(ProviderConfig::publicUrl);
        Optional<StripeSettings> stripe = backend == Backend.STRIPE ? Optional.of(stripe(env)) : Optional.empty();
        RetryPolicy retry;
        try {
            retry = new RetryPolicy(EnvDurations.read(env, "BUS_USAGE_EXPORT_RETRY_INITIAL", Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofDays(1)),
                    EnvDurations.read(env, "BUS_USAGE_EXPORT_RETRY_MAX", Duration.ofHours(1), Duration.ofMillis(1), Duration.ofDays(1)),
                    env.positiveInt("BUS_USAGE_EXPORT_MAX_ATTEMPTS", 50));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("BUS_USAGE_EXPORT_RETRY_INITIAL must not be longer than BUS_USAGE_EXPORT_RETRY_MAX");
        }
        return new ProviderConfig(backend, publicUrl, stripe, retry);
    }

    private static StripeSettings stripe(Env env) {
        Optional<String> inline = env.get("BUS_STRIPE_SECRET_KEY");
        Optional<String> file = env.get("BUS_STRIPE_SECRET_KEY_FILE");
        if (inline.isPresent() && file.isPresent()) {
            throw new ConfigException("BUS_STRIPE_SECRET_KEY and BUS_STRIPE_SECRET_KEY_FILE are both set; set one of them");
        }
        String key;
        String where;
        if (file.isPresent()) {
            where = "BUS_STRIPE_SECRET_KEY_FILE (" + file.get() + ")";
            key = readSecret(Path.of(file.get()), where);
        } else if (inline.isPresent()) {
            where = "BUS_STRIPE_SECRET_KEY";
            key = inline.get().strip();
        } else {
            throw new ConfigException("BUS_BILLING_PROVIDER_BACKEND=stripe needs the Stripe secret key: set "
                    + "BUS_STRIPE_SECRET_KEY_FILE (a file holding sk_live_… or sk_test_…) or BUS_STRIPE_SECRET_KEY");
        }
        Optional<String> keyProblem = StripeSettings.keyProblem(key);
        if (keyProblem.isPresent()) {
            throw new ConfigException(where + ": " + keyProblem.get());
        }
        String webhookSecret = env.get("BUS_STRIPE_WEBHOOK_SECRET").map(String::strip).orElseThrow(() -> new ConfigException(
                "BUS_BILLING_PROVIDER_BACKEND=stripe needs BUS_STRIPE_WEBHOOK_SECRET, the signing secret (whsec_…) "
                        + "of the webhook endpoint that points at /api/internal/stripe/webhook"));
        if (!webhookSecret.startsWith("whsec_") || webhookSecret.length() < 10) {
            throw new ConfigException("BUS_STRIPE_WEBHOOK_SECRET must be the endpoint's signing secret, whsec_…");
        }
        String apiVersion = env.get("BUS_STRIPE_API_VERSION").map(String::strip).orElse(null);
        if (apiVersion != null && !apiVersion.matches("\\d{4}-\\d{2}-\\d{2}(\\.[a-z]+)?")) {
            throw new ConfigException("BUS_STRIPE_API_VERSION must look like 2026-07-29.dahlia");
        }
        String apiBase = env.get("BUS_STRIPE_API_BASE").map(String::strip).map(ProviderConfig::apiBase).orElse(null);
        String defaultPrice = env.get("BUS_STRIPE_DEFAULT_PRICE_ID").map(String::strip).orElse(null);
        if (defaultPrice != null && !defaultPrice.matches("price_[A-Za-z0-9_]{1,200}")) {
            throw new ConfigException("BUS_STRIPE_DEFAULT_PRICE_ID must be a Stripe price id, price_…");
        }
        Duration timeout = EnvDurations.read(env, "BUS_STRIPE_TIMEOUT", Duration.ofSeconds(30), Duration.ofMillis(1), Duration.ofMinutes(10));
        return new StripeSettings(key, webhookSecret, apiVersion, apiBase, defaultPrice, timeout);
    }

    /** The key in a file: its first line, without surrounding white space; the key itself is never shown. */
    static String readSecret(Path file, String where) {
        try {
            if (Files.size(file) > 4096) {
                throw new ConfigException(where + ": the file is too large to hold a key");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            int newline = text.indexOf('\n');
            return newline < 0 ? text : text.substring(0, newline).strip();
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read the file (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static URI publicUrl(String text) {
        URI uri = httpUrl(text.strip(), "BUS_PUBLIC_URL");
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException("BUS_PUBLIC_URL must be a base URL without query or fragment, e.g. https://bus.example.com");
        }
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    private static String apiBase(String text) {
        return httpUrl(text, "BUS_STRIPE_API_BASE").toString().replaceAll("/+$", "");
    }

    private static URI httpUrl(String text, String name) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null) {
                throw new ConfigException(name + " must be an http or https URL with a host, e.g. https://bus.example.com");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(name + " is not a valid URL");
        }
    }
}

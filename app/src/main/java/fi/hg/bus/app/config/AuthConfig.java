package fi.hg.bus.app.config;

import fi.hg.bus.adapters.cli.Durations;
import fi.hg.bus.adapters.mail.SmtpSettings;
import fi.hg.bus.application.identity.AuthPolicy;
import fi.hg.bus.domain.auth.Scopes;
import fi.hg.bus.domain.identity.ApiScopePolicy;
import fi.hg.bus.domain.identity.RequestLimit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The auth service's settings (SPEC 6), read once from the environment.
 *
 * @param sender      where one-time codes go
 * @param smtp        the relay, with {@link Sender#SMTP}
 * @param internalKey {@code BUS_AUTH_INTERNAL_SHARED_KEY}; empty: internal token issuing is refused
 */
public record AuthConfig(AuthPolicy policy, Sender sender, Optional<SmtpSettings> smtp, Optional<String> internalKey) {

    /** {@code BUS_AUTH_OTP_SENDER}. */
    public enum Sender { MEMORY, CONSOLE, SMTP }

    static final Duration SMTP_TIMEOUT = Duration.ofSeconds(15);

    /** Shown instead of the configuration. */
    @Override
    public String toString() {
        return "AuthConfig[" + sender + ", internal key " + (internalKey.isPresent() ? "set" : "not set") + "]";
    }

    public static AuthConfig read(Env env) {
        boolean autoApprove = bool(env, "BUS_AUTH_AUTO_APPROVE");
        Duration codeTtl = EnvDurations.read(env, "BUS_AUTH_OTP_TTL", AuthPolicy.DEFAULT_CODE_TTL, Duration.ofSeconds(1), Duration.ofHours(24));
        RequestLimit limit = env.get("BUS_AUTH_OTP_RATE_LIMIT").map(AuthConfig::limit).orElse(AuthPolicy.DEFAULT_CODE_REQUESTS);
        Duration sessionTtl = EnvDurations.read(env, "BUS_AUTH_SESSION_TTL", AuthPolicy.DEFAULT_SESSION_TTL, Duration.ofMinutes(1), Duration.ofDays(30));
        String scopesText = env.aliased("BUS_AUTH_API_USER_RESOURCES", "BUS_AUTH_API_USER_SCOPES").orElse(ApiScopePolicy.DEFAULT);
        Scopes scopes;
        try {
            scopes = Scopes.parse(scopesText.replace(',', ' ').replace('\t', ' ').replace('\n', ' '));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("BUS_AUTH_API_USER_RESOURCES: " + e.getMessage());
        }
        AuthPolicy policy = new AuthPolicy(autoApprove, codeTtl, limit, sessionTtl, new ApiScopePolicy(scopes));

        Optional<String> smtpHost = env.get("BUS_AUTH_SMTP_HOST");
        Sender sender = env.get("BUS_AUTH_OTP_SENDER").map(s -> switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "memory" -> Sender.MEMORY;
            case "console" -> Sender.CONSOLE;
            case "smtp" -> Sender.SMTP;
            default -> throw new ConfigException("BUS_AUTH_OTP_SENDER must be memory, console or smtp");
        }).orElse(smtpHost.isPresent() ? Sender.SMTP : Sender.CONSOLE);
        Optional<SmtpSettings> smtp = Optional.empty();
        if (sender == Sender.SMTP) {
            String host = smtpHost.orElseThrow(() -> new ConfigException("BUS_AUTH_OTP_SENDER=smtp needs BUS_AUTH_SMTP_HOST"));
            String from = env.get("BUS_AUTH_SMTP_FROM").orElseThrow(() -> new ConfigException(
                    "BUS_AUTH_OTP_SENDER=smtp needs BUS_AUTH_SMTP_FROM, e.g. Bus <no-reply@example.com>"));
            int port = SmtpSettings.DEFAULT_PORT;
            if (env.get("BUS_AUTH_SMTP_PORT").isPresent()) {
                port = env.positiveInt("BUS_AUTH_SMTP_PORT", SmtpSettings.DEFAULT_PORT);
            }
            try {
                smtp = Optional.of(new SmtpSettings(host.strip(), port, from, env.get("BUS_AUTH_SMTP_USERNAME").orElse(null),
                        env.get("BUS_AUTH_SMTP_PASSWORD").orElse(null), SMTP_TIMEOUT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        return new AuthConfig(policy, sender, smtp, internalKey(env));
    }

    private static Optional<String> internalKey(Env env) {
        Optional<String> value = env.get("BUS_AUTH_INTERNAL_SHARED_KEY");
        Optional<String> file = env.get("BUS_AUTH_INTERNAL_SHARED_KEY_FILE");
        if (value.isPresent() && file.isPresent()) {
            throw new ConfigException("BUS_AUTH_INTERNAL_SHARED_KEY and BUS_AUTH_INTERNAL_SHARED_KEY_FILE are both set; set one of them");
        }
        Optional<String> key = value;
        if (file.isPresent()) {
            try {
                key = Optional.of(Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new ConfigException("BUS_AUTH_INTERNAL_SHARED_KEY_FILE cannot be read: " + e.getMessage());
            }
        }
        if (key.isPresent() && key.get().length() < 16) {
            throw new ConfigException("BUS_AUTH_INTERNAL_SHARED_KEY must be at least 16 characters");
        }
        return key;
    }

    private static boolean bool(Env env, String name) {
        return env.get(name).map(v -> switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new ConfigException(name + " must be true or false");
        }).orElse(false);
    }

    /** {@code N/DURATION}, e.g. {@code 5/15m}. */
    static RequestLimit limit(String text) {
        String[] parts = text.strip().split("/", 2);
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException();
            }
            int max = Integer.parseInt(parts[0].strip());
            Duration window = Durations.parse(parts[1]);
            if (max < 1 || max > 10_000 || window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException();
            }
            return new RequestLimit(max, window);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("BUS_AUTH_OTP_RATE_LIMIT must be N/DURATION, e.g. 5/15m "
                    + "(1 to 10000 codes per address in 1s to 1d)");
        }
    }
}
